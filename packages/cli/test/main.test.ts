import { main, bufferIo, EXIT_OK, EXIT_USAGE } from '@recd/cli';

describe('recd main(argv)', () => {
  it('prints help and exits 0 for --help', async () => {
    const io = bufferIo();
    expect(await main(['--help'], io)).toBe(EXIT_OK);
    expect(io.out.join('')).toContain('Usage: recd');
    expect(io.out.join('')).toContain('demo');
  });

  it('has --help on every command', async () => {
    const io = bufferIo();
    expect(await main(['dedup', '--help'], io)).toBe(EXIT_OK);
    expect(io.out.join('')).toContain('--samples-per-session');
  });

  it('exits 2 on an unknown command or a bad option value', async () => {
    const unknown = bufferIo();
    expect(await main(['nope'], unknown)).toBe(EXIT_USAGE);
    expect(unknown.err.join('')).toContain("unknown command 'nope'");
    const bad = bufferIo();
    expect(await main(['dedup', '--batch-size', 'many'], bad)).toBe(EXIT_USAGE);
    expect(bad.err.join('')).toContain('expected a positive integer, got "many"');
  });

  it('exits 2 and prints help without a command', async () => {
    const io = bufferIo();
    expect(await main([], io)).toBe(EXIT_USAGE);
    expect(io.out.join('')).toContain('Usage: recd');
  });

  it('runs the dedup demo and ends stdout with one JSON object under --json', async () => {
    const io = bufferIo();
    const code = await main(['dedup', '--batch-size', '256', '--samples-per-session', '1,8', '--history-length', '10', '--json'], io);
    expect(code).toBe(EXIT_OK);
    const lines = io.out.join('').trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]);
    expect(result.command).toBe('dedup');
    expect(result.results).toHaveLength(2);
    expect(result.results[0]).toMatchObject({ samplesPerSession: 1, rowsBefore: 256, uniqueRows: 256, expandExact: true });
    expect(result.results[1]).toMatchObject({ samplesPerSession: 8, uniqueRows: 32, expandExact: true });
    expect(result.results[1].bytesAfter).toBeLessThan(result.results[1].bytesBefore);
  });

  it('prints a table without --json', async () => {
    const io = bufferIo();
    expect(await main(['dedup', '--batch-size', '64', '--samples-per-session', '4'], io)).toBe(EXIT_OK);
    expect(io.out.join('')).toMatch(/unique rows[\s\S]*\n4\s+64\s+16\s/);
  });
});
