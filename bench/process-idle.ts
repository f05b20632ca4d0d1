/** What `untilIdle` waits for, in words (for bench notes). */
export const IDLE_RULE = 'under 5% of a core over 250 ms, waiting 5 s at most';

/**
 * Waits until this process is idle: its CPU time (every thread's) over a 250 ms window below 5%
 * of one core, or 5 s at most. Returns the seconds waited. Benchmarks that alternate tools in one
 * process call it before each timed run, so one tool's leftover background work (threads that
 * free memory or finish after the call returned) is not timed as the next tool's.
 */
export async function untilIdle(windowMs = 250, maxMs = 5000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = process.cpuUsage(before);
    const busy = (used.user + used.system) / 1000 / windowMs;
    if (busy < 0.05 || performance.now() - started >= maxMs) return (performance.now() - started) / 1000;
  }
}
