/**
 * `inspect <slide>`: what the app knows about a slide, as JSON: format, reader,
 * pyramid, calibration, tissue and the analysis tile grid. The JSON never holds
 * the file's path or name (they often carry patient identifiers).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../../src-shared/errors';
import type { SlideInfo } from '../../../src-shared/slide-types';
import { buildTileGrid } from '../../../src-shared/tile-grid';
import { estimateMppFromObjective, userMpp } from '../../../src-shared/units';
import { closeAllSlides, openSlide, type ReaderChoice } from '../../slides/open-slide';
import { TissueCoverage } from '../../analysis/tissue-fraction';
import { computeTissueMask, type TissueMask } from '../../slides/tissue-mask';
import { printJson, type CliCommand, type CliIo } from '../command-registry';
import { positiveNumber, positiveNumberIn, wholeNumberIn } from '../option-parsers';

/** Options of `inspect`, after parsing. */
export interface InspectOptions {
  mpp?: number;
  targetMpp: number;
  tileSize: number;
  overlap: number;
  reader: ReaderChoice;
}

function readerChoice(text: string): ReaderChoice {
  if (text === 'auto' || text === 'openslide' || text === 'pure-js') return text;
  throw new InvalidArgumentError('expected auto, openslide or pure-js');
}

function calibration(info: SlideInfo, options: InspectOptions) {
  const mpp = options.mpp !== undefined ? userMpp(options.mpp) : info.mpp;
  const estimate = estimateMppFromObjective(info.objectivePower);
  return {
    mpp,
    mppFromFile: info.mpp,
    mppNote:
      mpp === null
        ? 'The file records no calibration. Supply it with --mpp <micrometres per pixel> ' +
          '(from the scanner report); until then the slide is uncalibrated.'
        : undefined,
    mppEstimateFromObjective: estimate,
    mppEstimateNote:
      estimate === null
        ? undefined
        : 'A rough figure from the objective power only; never used as the calibration.',
  };
}

function gridSummary(
  info: SlideInfo,
  context: { mask: TissueMask; options: InspectOptions; mppX: number | null },
) {
  const { mask, options, mppX } = context;
  const settings = {
    targetMpp: options.targetMpp,
    tileSizePx: options.tileSize,
    overlapPx: options.overlap,
  };
  if (mppX === null)
    return { ...settings, skipped: 'The slide has no mpp; supply --mpp to plan tiles.' };
  const grid = buildTileGrid(
    {
      widthPx: info.widthPx,
      heightPx: info.heightPx,
      levelDownsamples: info.levels.map((l) => l.downsample),
      mppX,
    },
    settings,
  );
  // Counted as the analysis plans them: a tile is analysed when its core holds tissue.
  const coverage = new TissueCoverage(mask, info);
  const tissueTiles = grid.tiles.filter((t) => coverage.fractionOf(t.coreBaseRect) > 0);
  return {
    ...settings,
    level: grid.level,
    resampleFactor: grid.resampleFactor,
    columns: grid.columns,
    rows: grid.rows,
    totalTiles: grid.totalTileCount,
    tissueTiles: tissueTiles.length,
    upsamplingNote:
      grid.resampleFactor < 0.99
        ? 'The slide is coarser than the target mpp: tiles would be enlarged, adding no detail.'
        : undefined,
  };
}

/** Builds the report of one slide (exported for tests). */
export async function inspectSlide(
  path: string,
  options: InspectOptions,
): Promise<Record<string, unknown>> {
  const reader = await openSlide(path, { reader: options.reader });
  try {
    const { info } = reader;
    const mask = await computeTissueMask(reader);
    const calibrated = calibration(info, options);
    const base = info.levels[0];
    return {
      format: info.format,
      vendor: info.vendor,
      reader: info.reader,
      dimensions: { widthPx: info.widthPx, heightPx: info.heightPx },
      levels: info.levels,
      nativeTileSize: base?.tileWidthPx
        ? { widthPx: base.tileWidthPx, heightPx: base.tileHeightPx }
        : null,
      ...calibrated,
      objectivePower: info.objectivePower,
      associatedImages: info.associatedImages,
      hasIccProfile: info.hasIccProfile,
      tissue: {
        fraction: round(mask.tissueFraction),
        penFraction: round(mask.penFraction),
        maskSizePx: [mask.widthPx, mask.heightPx],
      },
      tileGrid: gridSummary(info, { mask, options, mppX: calibrated.mpp?.x ?? null }),
    };
  } finally {
    await reader.close();
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The `inspect` command. */
export const inspectCommand: CliCommand = {
  name: 'inspect',
  register(program: Command, io: CliIo) {
    program
      .command('inspect')
      .description('Describe a slide as JSON (format, pyramid, mpp, tissue, tile grid).')
      .argument('<slide>', 'slide file')
      .option(
        '--mpp <value>',
        'micrometres per pixel, when the file lacks it',
        positiveNumber,
      )
      .option(
        '--target-mpp <value>',
        'analysis resolution, micrometres per pixel (0.05-20)',
        positiveNumberIn(0.05, 20),
        0.25,
      )
      .option(
        '--tile-size <px>',
        'analysis tile edge in target pixels (16-8192)',
        wholeNumberIn(16, 8192),
        256,
      )
      .option(
        '--overlap <px>',
        'tile overlap in target pixels, less than half the tile',
        wholeNumberIn(0, 4095),
        32,
      )
      .option('--reader <kind>', 'auto, openslide or pure-js', readerChoice, 'auto')
      .action(async (slide: string, options: InspectOptions) => {
        if (options.overlap * 2 >= options.tileSize) {
          throw new AppError(
            'INVALID_OPTION',
            `--overlap ${options.overlap} must be less than half of --tile-size ${options.tileSize}`,
          );
        }
        const report = await inspectSlide(slide, options);
        await closeAllSlides();
        printJson(io, report);
      });
  },
};
