export { main, EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE } from './main';
export { bufferIo } from './io';
export type { Io } from './io';
export { runDedupDemo } from './commands/dedup';
export type { DedupDemoOptions, DedupDemoRow } from './commands/dedup';
