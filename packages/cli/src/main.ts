import { Command, CommanderError } from 'commander';
import { RecdError } from '@recd/core';
import type { Io } from './io';
import { dedupCommand } from './commands/dedup';
import { demoCommand } from './commands/demo';
import { samplesCommand } from './commands/samples';
import { synthCommand } from './commands/synth';
import { inspectCommand } from './commands/inspect';
import { trainCommand } from './commands/train';

/** Exit codes: 0 success, 1 bad input (or a failed check), 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/**
 * Runs `recd <command> [options]` and returns the exit code. Never exits the process and
 * writes only through `io`, so it is tested like any function.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code = EXIT_OK;
  const done = (result: number): void => {
    code = result;
  };
  const program = new Command('recd')
    .description('RecD for TypeScript: session-clustered samples, deduplicated batches (IKJT), DLRM training')
    .version('0.1.0')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(demoCommand(io, done));
  program.addCommand(dedupCommand(io, done));
  program.addCommand(synthCommand(io, done));
  program.addCommand(samplesCommand(io, done));
  program.addCommand(inspectCommand(io, done));
  program.addCommand(trainCommand(io, done));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(['node', 'recd', ...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      const helpCodes = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
      return helpCodes.includes(error.code) ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof RecdError) {
      io.stderr(`recd: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}
