/** Where a command writes. `main` gets the process streams; tests pass buffers. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars) or not (plain progress lines). */
  isTTY: boolean;
}

/** An Io that keeps everything written, for tests. */
export function bufferIo(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), isTTY: false };
}
