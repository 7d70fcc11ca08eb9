/**
 * `npm run eval:uncertainty [-- --subset] [-- --json report.json]`: measures the
 * bundle's calibration, conformal coverage and OOD detection on data it never
 * trained or calibrated on, and prints every figure with the data it is on.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { defaultBundlePath, packageRoot } from '../analysis/default-bundle';
import { createLogger } from '../logging/logger';
import { formatReport } from '../uncertainty/evaluation/report-text';
import { runEvaluation } from '../uncertainty/evaluation/run-evaluation';

const log = createLogger('cli');

interface EvalArgs {
  subset?: boolean;
  bundle: string;
  data: string;
  json?: string;
  threads: string;
}

/** Parses arguments, runs the evaluation, prints it; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('eval:uncertainty')
    .option('--subset', 'a few images and tiles only (the test suite uses this)')
    .option('--bundle <folder>', 'model bundle folder', defaultBundlePath())
    .option(
      '--data <folder>',
      'public data folder',
      path.join(packageRoot(), '..', 'shared', 'data'),
    )
    .option('--json <file>', 'also write the figures as JSON')
    .option(
      '--threads <n>',
      'ONNX Runtime threads',
      String(Math.min(2, availableParallelism())),
    )
    .parse(argv, { from: 'user' });
  const args = program.opts<EvalArgs>();

  try {
    const report = await runEvaluation({
      bundleFolder: path.resolve(args.bundle),
      dataRoot: path.resolve(args.data),
      isSubset: args.subset === true,
      threads: Math.max(1, Number.parseInt(args.threads, 10) || 1),
    });
    process.stdout.write(formatReport(report));
    if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    log.error('evaluation.failed', {
      errorCode: String(code ?? 'internal').toLowerCase(),
    });
    process.stderr.write(`Evaluation failed: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
