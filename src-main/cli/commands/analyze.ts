/**
 * `analyze <slide>`: finds nuclei over the slide's tissue (or a region), stores them
 * and prints a summary. Ctrl-C cancels cleanly: finished tile batches stay stored.
 * A progress bar goes to stderr; the summary to stdout.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Rect } from '../../../src-shared/geometry';
import { formatProgressLine, formatSummary } from '../../analysis/analysis-report';
import type { AnalysisOptions } from '../../analysis/analysis-types';
import { runAnalysis } from '../../analysis/run-analysis';
import {
  EXECUTION_PROVIDERS,
  isExecutionProviderName,
  type ExecutionProviderName,
} from '../../inference/execution-providers';
import { defaultDatabasePath } from '../../store/default-path';
import type { CliCommand, CliIo } from '../command-registry';

/** Options of `analyze`, after parsing. */
interface AnalyzeFlags {
  db?: string;
  bundle?: string;
  mpp?: number;
  region?: Rect;
  force?: boolean;
  threads?: number;
  batch?: number;
  tissueFilter: boolean;
  profile?: string;
  providers?: ExecutionProviderName[];
}

/** Parses `x,y,w,h` (level-0 pixels) as a rectangle. */
export function parseRegion(text: string): Rect {
  const parts = text.split(',').map((part) => Number(part.trim()));
  const [x, y, width, height] = parts;
  const isValid =
    parts.length === 4 &&
    parts.every(Number.isInteger) &&
    (x ?? -1) >= 0 &&
    (y ?? -1) >= 0 &&
    (width ?? 0) > 0 &&
    (height ?? 0) > 0;
  if (!isValid) {
    throw new InvalidArgumentError(
      `expected x,y,width,height in level-0 pixels (whole numbers, size > 0), got "${text}"`,
    );
  }
  return { x: x!, y: y!, width: width!, height: height! };
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

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!(value > 0))
    throw new InvalidArgumentError(`expected a positive number, got "${text}"`);
  return value;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(
      `expected a whole number of at least 1, got "${text}"`,
    );
  }
  return value;
}

async function analyze(slidePath: string, flags: AnalyzeFlags, io: CliIo): Promise<void> {
  const options: AnalysisOptions = {
    slidePath,
    dbPath: flags.db ?? defaultDatabasePath(),
    bundlePath: flags.bundle,
    userMppX: flags.mpp,
    regionBase: flags.region,
    isForced: flags.force === true,
    intraOpThreads: flags.threads,
    batchSize: flags.batch,
    isTissueFilterDisabled: !flags.tissueFilter,
    siteProfilePath: flags.profile,
    executionProviders: flags.providers,
  };

  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled from the keyboard'));
  process.once('SIGINT', onSigint);
  try {
    const outcome = await runAnalysis(options, {
      signal: controller.signal,
      onProgress: (progress) => io.stderr(`\r${formatProgressLine(progress)}`),
    });
    io.stderr('\n');
    io.stdout(formatSummary(outcome));
    if (outcome.end === 'cancelled') process.exitCode = 130;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The `analyze` command. */
export const analyzeCommand: CliCommand = {
  name: 'analyze',
  register(program: Command, io: CliIo): void {
    program
      .command('analyze')
      .description('Find and type nuclei over the tissue of a slide and store them.')
      .argument('<slide>', 'slide file')
      .option('--db <path>', 'results database (default: the workstation database)')
      .option(
        '--bundle <path>',
        'model bundle folder (default: the embedded default bundle)',
      )
      .option(
        '--mpp <value>',
        'micrometres per pixel, when the slide does not record it',
        positiveNumber,
      )
      .option('--region <x,y,w,h>', 'analyse only this level-0 rectangle', parseRegion)
      .option('--force', 're-run even if an identical analysis is already done')
      .option('--threads <n>', 'ONNX Runtime threads per operator', positiveInteger)
      .option('--batch <n>', 'tiles per inference batch', positiveInteger)
      .option('--no-tissue-filter', 'analyse every tile, tissue or not')
      .option(
        '--profile <file.json>',
        'site profile with fitted temperatures and thresholds (default: cold start)',
      )
      .option(
        '--providers <list>',
        `execution providers in order of preference, e.g. cuda,cpu (${EXECUTION_PROVIDERS.join(', ')}); ` +
          'unavailable ones fall back to CPU',
        parseProviders,
      )
      .action((slidePath: string, flags: AnalyzeFlags) => analyze(slidePath, flags, io));
  },
};
