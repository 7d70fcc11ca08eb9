/**
 * `analyze <slide>`: finds nuclei over the slide's tissue (or a region), stores them
 * and prints a summary. Ctrl-C cancels cleanly: finished tile batches stay stored.
 * A progress bar goes to stderr; the summary to stdout.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../../src-shared/errors';
import type { Rect } from '../../../src-shared/geometry';
import { formatProgressLine, formatSummary } from '../../analysis/analysis-report';
import type { AnalysisProgress } from '../../analysis/analysis-progress';
import type { AnalysisOptions } from '../../analysis/analysis-types';
import { runAnalysis } from '../../analysis/run-analysis';
import {
  EXECUTION_PROVIDERS,
  isExecutionProviderName,
  type ExecutionProviderName,
} from '../../inference/execution-providers';
import { defaultDatabasePath } from '../../store/default-path';
import { StoreError } from '../../store/store-errors';
import type { CliCommand, CliIo } from '../command-registry';
import {
  nonEmptyPath,
  parseRegion,
  positiveNumber,
  wholeNumberIn,
} from '../option-parsers';

/** Options of `analyze`, after parsing. */
interface AnalyzeFlags {
  db?: string;
  bundle?: string;
  mpp?: number;
  overrideMpp?: boolean;
  region?: Rect;
  force?: boolean;
  threads?: number;
  batch?: number;
  tissueFilter: boolean;
  profile?: string;
  providers?: ExecutionProviderName[];
}

/** Parses `cuda,cpu` as execution providers in order of preference. */
export function parseProviders(text: string): ExecutionProviderName[] {
  const names = text.split(',').map((part) => part.trim().toLowerCase());
  const unknown = names.filter((name) => !isExecutionProviderName(name));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `expected a comma-separated list of ${EXECUTION_PROVIDERS.join(', ')}, got "${text}"`,
    );
  }
  return names.filter(isExecutionProviderName);
}

/** Most tiles per inference batch: 64 tiles of 256 px hold about 200 MB of maps. */
const MAX_BATCH_TILES = 64;

/** Longest gap between progress lines when stderr is a file or a pipe, not a terminal. */
const LOGGED_PROGRESS_INTERVAL_MS = 10_000;

/**
 * Progress on stderr: one line redrawn in place on a terminal; where stderr is
 * redirected, a line every {@link LOGGED_PROGRESS_INTERVAL_MS} at most and one when
 * the last tile is done, so a log file holds a readable history that ends complete
 * rather than thousands of carriage returns.
 */
export function progressWriter(
  io: CliIo,
  isTerminal = process.stderr.isTTY === true,
): (progress: AnalysisProgress) => void {
  if (isTerminal) {
    return (progress) => io.stderr(`\r${formatProgressLine(progress)}`);
  }
  let lastMs = -Infinity;
  return (progress) => {
    const nowMs = performance.now();
    const isLast = progress.tilesDone >= progress.tilesTotal;
    if (!isLast && nowMs - lastMs < LOGGED_PROGRESS_INTERVAL_MS) return;
    lastMs = nowMs;
    io.stderr(`${formatProgressLine(progress)}\n`);
  };
}

async function analyze(slidePath: string, flags: AnalyzeFlags, io: CliIo): Promise<void> {
  if (flags.overrideMpp && flags.mpp === undefined) {
    throw new AppError(
      'INVALID_OPTION',
      '--override-mpp only applies with --mpp <value>: give the pixel size to use.',
    );
  }
  if (flags.db !== undefined) checkDatabaseFolder(flags.db);
  const options: AnalysisOptions = {
    slidePath,
    dbPath: flags.db ?? defaultDatabasePath(),
    bundlePath: flags.bundle,
    userMppX: flags.mpp,
    isMppOverrideAllowed: flags.overrideMpp === true,
    regionBase: flags.region,
    isForced: flags.force === true,
    intraOpThreads: flags.threads,
    batchSize: flags.batch,
    isTissueFilterDisabled: !flags.tissueFilter,
    siteProfilePath: flags.profile,
    executionProviders: flags.providers,
  };

  // Ctrl-C and a termination signal (a service stopping, a scheduler's timeout) both
  // stop the run between batches: finished tiles stay committed, the summary is printed.
  const controller = new AbortController();
  let exitCode = 130;
  const onSigint = () => controller.abort(new Error('cancelled from the keyboard'));
  const onSigterm = () => {
    exitCode = 143;
    controller.abort(new Error('stopped by a termination signal'));
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  try {
    const outcome = await runAnalysis(options, {
      signal: controller.signal,
      onProgress: progressWriter(io),
    });
    io.stderr('\n');
    io.stdout(formatSummary(outcome));
    io.stdout(`Results database: ${path.resolve(options.dbPath)}\n`);
    if (outcome.end === 'cancelled') process.exitCode = exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

/**
 * Refuses a `--db` whose folder is missing two levels deep: one missing folder (a
 * `results/` beside the checkout) is created, but a deeper missing path is more
 * likely a typo or a share that is not mounted, where results would silently land on
 * the local disk.
 */
export function checkDatabaseFolder(dbPath: string): void {
  const folder = path.dirname(path.resolve(dbPath));
  if (existsSync(folder) || existsSync(path.dirname(folder))) return;
  throw new StoreError(
    'Neither the folder of --db nor the folder above it exists: check the path (is a ' +
      'share not mounted?) or create the folder first. Nothing was written.',
  );
}

/** Options that say what to analyse and with which bundle and pixel size. */
function addInputOptions(command: Command): Command {
  return command
    .option(
      '--db <path>',
      'results database (default: the workstation database)',
      nonEmptyPath,
    )
    .option(
      '--bundle <path>',
      'model bundle folder (default: the embedded default bundle)',
      nonEmptyPath,
    )
    .option(
      '--mpp <value>',
      'micrometres per pixel, when the slide does not record it',
      positiveNumber,
    )
    .option(
      '--override-mpp',
      "let --mpp replace a pixel size the slide records (when the slide's is wrong)",
    )
    .option('--region <x,y,w,h>', 'analyse only this level-0 rectangle', parseRegion)
    .option('--no-tissue-filter', 'analyse every tile, tissue or not');
}

/** Options that say how to run. */
function addRunOptions(command: Command): Command {
  return command
    .option(
      '--force',
      'start a new analysis even if an identical one is done or could be resumed',
    )
    .option('--threads <n>', 'ONNX Runtime threads per operator', wholeNumberIn(1, 256))
    .option(
      '--batch <n>',
      `tiles per inference batch (1-${MAX_BATCH_TILES})`,
      wholeNumberIn(1, MAX_BATCH_TILES),
    )
    .option(
      '--profile <file.json>',
      'site profile with fitted temperatures and thresholds (default: cold start)',
      nonEmptyPath,
    )
    .option(
      '--providers <list>',
      `execution providers in order of preference, e.g. cuda,cpu (${EXECUTION_PROVIDERS.join(', ')}); ` +
        'unavailable ones fall back to CPU',
      parseProviders,
    );
}

/** The `analyze` command. */
export const analyzeCommand: CliCommand = {
  name: 'analyze',
  register(program: Command, io: CliIo): void {
    const command = program
      .command('analyze')
      .description('Find and type nuclei over the tissue of a slide and store them.')
      .argument('<slide>', 'slide file');
    addRunOptions(addInputOptions(command)).action(
      (slidePath: string, flags: AnalyzeFlags) => analyze(slidePath, flags, io),
    );
  },
};
