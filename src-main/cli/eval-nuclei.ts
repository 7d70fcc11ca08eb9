/**
 * `npm run eval:nuclei -- <folder> [--bundle <folder>] [--json out.json] [--radius-px N]
 * [--threads N] [--limit N] [--types consep|pannuke-demo|none] [--image-mpp M]
 * [--simulate-mpp M] [--held-out-only]`: measures the app's own nuclei pipeline on
 * annotated images and prints PQ, AJI and detection F1 with the data and bundle they
 * are on.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { defaultBundlePath } from '../analysis/default-bundle';
import { evaluateNuclei } from '../evaluation/evaluate-nuclei';
import { formatNucleiReport } from '../evaluation/nuclei-report';
import { TYPE_SCHEMES, type TypeScheme } from '../evaluation/type-mappings';
import { createLogger } from '../logging/logger';

const log = createLogger('cli');

interface EvalArgs {
  bundle: string;
  json?: string;
  radiusPx?: number;
  threads: number;
  limit?: number;
  types?: TypeScheme;
  imageMpp?: number;
  simulateMpp?: number;
  heldOutOnly?: boolean;
}

function parseNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new InvalidArgumentError('Not a number.');
  return number;
}

function parseScheme(value: string): TypeScheme {
  const scheme = TYPE_SCHEMES.find((s) => s === value);
  if (!scheme)
    throw new InvalidArgumentError(`Expected one of ${TYPE_SCHEMES.join(', ')}.`);
  return scheme;
}

function buildProgram(): Command {
  return new Command('eval:nuclei')
    .argument('<folder>', 'folder of annotated images')
    .option('--bundle <folder>', 'model bundle folder', defaultBundlePath())
    .option('--json <file>', 'also write every figure as JSON')
    .option(
      '--radius-px <n>',
      'detection radius, image pixels (default 1.5 um)',
      parseNumber,
    )
    .option(
      '--threads <n>',
      'ONNX Runtime threads',
      parseNumber,
      Math.min(2, availableParallelism()),
    )
    .option('--limit <n>', 'only the first n images in name order', parseNumber)
    .option(
      '--types <scheme>',
      'whose type codes the labels hold: consep, pannuke-demo or none',
      parseScheme,
    )
    .option(
      '--image-mpp <mpp>',
      "the images' mpp (default 0.25, the scale of MoNuSeg, CoNSeP and PanNuke)",
      parseNumber,
    )
    .option(
      '--simulate-mpp <mpp>',
      'degrade images to this coarser mpp and back first',
      parseNumber,
    )
    .option('--held-out-only', "only images none of the bundle's splits used")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
}

/** Parses arguments, runs the evaluation, prints it; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    // Commander has already printed its one-line reason; only the status is left to set.
    return (error as { exitCode?: number }).exitCode || 2;
  }
  const args = program.opts<EvalArgs>();
  const [folder = ''] = program.args;

  try {
    const report = await evaluateNuclei({
      folder,
      bundleFolder: path.resolve(args.bundle),
      types: args.types,
      radiusPx: args.radiusPx,
      threads: Math.max(1, Math.round(args.threads)),
      limit: args.limit,
      imageMpp: args.imageMpp,
      simulateMpp: args.simulateMpp,
      isHeldOutOnly: args.heldOutOnly === true,
    });
    process.stdout.write(
      formatNucleiReport({ ...report, data: { ...report.data, folder } }),
    );
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
