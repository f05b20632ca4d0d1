import { SingleBar, Presets } from 'cli-progress';
import type { Io } from './io';

/** Progress on stderr: a bar on a terminal, otherwise a plain line every few seconds. */
export interface Progress {
  update(done: number, total: number | undefined, detail?: string): void;
  stop(): void;
}

export function createProgress(io: Io, label: string, options: { quiet?: boolean; intervalMs?: number } = {}): Progress {
  if (options.quiet) return { update() {}, stop() {} };
  if (io.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} {detail}`, hideCursor: true, clearOnComplete: false, stream: process.stderr },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail = '') {
        if (!started) {
          bar.start(total ?? done, done, { detail });
          started = true;
        }
        if (total !== undefined) bar.setTotal(total);
        bar.update(done, { detail });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  const interval = options.intervalMs ?? 2000;
  let last = 0;
  let lastText = '';
  let printed = '';
  return {
    update(done, total, detail = '') {
      const now = Date.now();
      lastText = `${label}: ${done}${total !== undefined ? `/${total}` : ''}${detail ? ` ${detail}` : ''}`;
      if (now - last >= interval) {
        io.stderr(`${lastText}\n`);
        printed = lastText;
        last = now;
      }
    },
    stop() {
      if (lastText && lastText !== printed) io.stderr(`${lastText}\n`);
    },
  };
}
