/**
 * The command-line entry: `npm run -s cli -- <command>`. Commands live one per
 * file under `commands/` and are listed in {@link COMMANDS}.
 */
import { Command, CommanderError } from 'commander';
import { AppError } from '../../src-shared/errors';
import { APP_VERSION } from '../app-version';
import { reportError, type CliCommand, type CliIo } from './command-registry';
import { analyzeCommand } from './commands/analyze';
import { exportCommand } from './commands/export';
import { inspectCommand } from './commands/inspect';
import { renderCommand } from './commands/render';
import { createLogger, isLogLevel, LOG_LEVELS, setLogSink } from '../logging/logger';
import { readableLogLine } from '../logging/readable-log';

const log = createLogger('cli');

/** Every subcommand; add new ones here. */
export const COMMANDS: CliCommand[] = [
  inspectCommand,
  exportCommand,
  analyzeCommand,
  renderCommand,
];

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Builds the program with every command registered. */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('cellvit')
    .description('CellViT-Optimus: offline H&E whole-slide triage.')
    .version(APP_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const command of COMMANDS) command.register(program, io);
  return program;
}

/** Runs the command line with `argv` (without node and script); resolves to the exit status. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  // Commands report a status of their own through `process.exitCode`: start clear.
  process.exitCode = undefined;
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    // A command that ends without an error may still set a status (a cancelled run: 130).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Commander has already printed usage errors and help; only the status matters: 0
    // after help, 2 for a usage error (as for any input the user can correct).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // A typed error reaches the user as its own message below; only an unexpected one
    // is logged as an error.
    const record = error instanceof AppError ? log.info : log.error;
    record('cli.command.failed', {
      errorCode: String((error as { code?: unknown }).code ?? 'internal').toLowerCase(),
    });
    // What went wrong, for whoever debugs it; the log masks paths and file names in
    // the message and the stack.
    if (!(error instanceof AppError)) {
      log.debug('cli.command.failed.detail', {
        errorName: error instanceof Error ? error.name : typeof error,
        detail: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? (error.stack ?? '') : '',
      });
    }
    return reportError(io, error);
  }
}

/**
 * The log level of the command line when `CELLVIT_LOG_LEVEL` is unset: warnings and
 * errors only, so the JSON lifecycle log does not break up the progress bar and the
 * summary a person reads (`CELLVIT_LOG_LEVEL=info` brings it back).
 */
const COMMAND_LINE_LOG_LEVEL = 'warn';

const isEntryPoint = process.argv[1]?.endsWith('cli/main.ts') ?? false;
if (isEntryPoint) {
  const asked = process.env.CELLVIT_LOG_LEVEL;
  if (asked === undefined || !isLogLevel(asked)) {
    if (asked !== undefined) {
      process.stderr.write(
        `CELLVIT_LOG_LEVEL "${asked}" is not one of ${LOG_LEVELS.join(', ')}; ` +
          `using ${COMMAND_LINE_LOG_LEVEL}.\n`,
      );
    }
    process.env.CELLVIT_LOG_LEVEL = COMMAND_LINE_LOG_LEVEL;
    // Those few lines are read by a person: one plain line each, not JSON.
    setLogSink((line) => process.stderr.write(readableLogLine(line)));
  }
  process.exitCode = await runCli(process.argv.slice(2));
}
