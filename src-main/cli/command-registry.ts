/**
 * How commands plug into the command line: each command file exports a
 * {@link CliCommand}; `main.ts` lists them. Errors are reported in one place.
 */
import type { Command } from 'commander';
import { AppError } from '../../src-shared/errors';

/** One subcommand: `register` adds it (name, options, action) to the program, writing to `io`. */
export interface CliCommand {
  name: string;
  register(program: Command, io: CliIo): void;
}

/** Output streams, injectable so tests can capture them. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Writes `value` as pretty JSON on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Reports an error as one line on stderr, `CODE: message`, and returns the exit
 * status: 2 for an error the user can act on, 1 for an unexpected one. Unknown
 * errors (a `RangeError` from deep inside included) print no details that could
 * hold a path or mean nothing to the user.
 */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof AppError) {
    io.stderr(`${error.code}: ${error.message}\n`);
    return 2;
  }
  io.stderr(
    'INTERNAL: an unexpected error occurred; run with CELLVIT_LOG_LEVEL=debug for details.\n',
  );
  return 1;
}
