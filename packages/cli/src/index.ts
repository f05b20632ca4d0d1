export { main, EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE } from './main';
export { bufferIo } from './io';
export type { Io } from './io';
export { runDemo } from './commands/demo';
export type { DemoOptions, DemoRow } from './commands/demo';
