/**
 * Measures the app's own nuclei pipeline on a folder of annotated images: each image
 * goes through the bundle exactly as a slide region would (tiles, core ownership,
 * one post-processing pass), and the label image the pipeline produced is scored
 * against the original labels.
 */
import type { LoadedBundle } from '../inference/bundle-loader';
import { createLogger } from '../logging/logger';
import { imageSize, readRgbCrop } from '../uncertainty/evaluation/image-tiles';
import { isSeenSplit, splitMembership } from './bundle-splits';
import { EvaluationInputError } from './evaluation-errors';
import { scoreImage } from './image-scores';
import { resampleLabelsNearest, toModelGrid } from './image-resampling';
import { ImageSegmenter, SEGMENTER_BATCH_SIZE } from './image-segmenter';
import { assertLabelSize, readGroundTruth } from './label-readers';
import {
  buildReport,
  type EvaluationContext,
  type ImageReport,
  type NucleiEvaluationReport,
} from './evaluation-report';
import { scanTileFolder, type AnnotatedImage, type TileFolder } from './tile-folder';
import { typeMappingFor, type TypeScheme } from './type-mappings';

const log = createLogger('evaluation');

/** Detection radius when none is given: 1.5 um, 6 px at 0.25 mpp. */
export const DEFAULT_RADIUS_MICRONS = 1.5;

/**
 * The images' scale when none is given: MoNuSeg, CoNSeP and the PanNuke tiles are
 * 40x scans at 0.25 um per pixel, whatever scale the bundle works at.
 */
export const ANNOTATED_TILE_MPP = 0.25;

/** What to evaluate and how. */
export interface NucleiEvaluationOptions {
  folder: string;
  bundleFolder: string;
  /** Whose type codes the labels hold; required when they carry types. */
  types?: TypeScheme;
  /** Detection radius in image pixels; default {@link DEFAULT_RADIUS_MICRONS}. */
  radiusPx?: number;
  threads: number;
  /** Only the first images in name order. */
  limit?: number;
  /** The images' mpp; when absent they are taken to be at ANNOTATED_TILE_MPP. */
  imageMpp?: number;
  /** Degrade each image to this coarser mpp and back before inference. */
  simulateMpp?: number;
  /** Only images that no training, validation or calibration split of the bundle names. */
  isHeldOutOnly?: boolean;
}

/** Runs the evaluation; throws {@link EvaluationInputError} on unusable inputs. */
export async function evaluateNuclei(
  options: NucleiEvaluationOptions,
): Promise<NucleiEvaluationReport> {
  const startedMs = performance.now();
  validateOptions(options);
  const folder = await scanTileFolder(options.folder);
  let images = folder.images.slice(0, options.limit ?? folder.images.length);
  for (const image of images) await assertLabelSize(image);
  const scheme = resolveTypeScheme(options.types, folder);

  const segmenter = await ImageSegmenter.open(options);
  try {
    const context = buildContext(segmenter.bundle, options, scheme);
    if (options.isHeldOutOnly) images = heldOutImages(images, context);
    const reports: ImageReport[] = [];
    for (const image of images) {
      reports.push(await evaluateImage(image, segmenter, context));
      log.info('evaluation.image.done', {
        imageIndex: reports.length,
        total: images.length,
      });
    }
    return buildReport({
      folder: { ...folder, images },
      scheme,
      manifest: segmenter.bundle.manifest,
      context,
      isImageMppAssumed: options.imageMpp === undefined,
      images: reports,
      timing: {
        wallMs: performance.now() - startedMs,
        batchSize: SEGMENTER_BATCH_SIZE,
        threads: options.threads,
      },
    });
  } finally {
    await segmenter.close();
  }
}

function validateOptions(options: NucleiEvaluationOptions): void {
  const positive = (value: number | undefined, flag: string) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new EvaluationInputError(`${flag} must be a number > 0; got ${value}.`);
    }
  };
  positive(options.radiusPx, '--radius-px');
  positive(options.imageMpp, '--image-mpp');
  positive(options.simulateMpp, '--simulate-mpp');
  if (
    options.limit !== undefined &&
    !(Number.isInteger(options.limit) && options.limit >= 1)
  ) {
    throw new EvaluationInputError(
      `--limit must be a whole number >= 1; got ${options.limit}.`,
    );
  }
}

/** The scheme to read types with: the one given, else `none` for untyped labels. */
export function resolveTypeScheme(
  requested: TypeScheme | undefined,
  folder: TileFolder,
): TypeScheme {
  if (requested) return requested;
  if (folder.hasTypedLabels) {
    throw new EvaluationInputError(
      'The labels carry nucleus types (_type.png or a class column): give ' +
        '--types consep|pannuke-demo|none to say whose type codes they are.',
    );
  }
  return 'none';
}

/** The images the bundle never saw; throws when none is left. */
function heldOutImages(
  images: AnnotatedImage[],
  context: EvaluationContext,
): AnnotatedImage[] {
  const kept = images.filter(
    (image) => !(context.splits.get(image.name) ?? []).some(isSeenSplit),
  );
  if (kept.length === 0) {
    throw new EvaluationInputError(
      'Every image is named by a split the bundle trained, selected or calibrated on.',
    );
  }
  return kept;
}

function buildContext(
  bundle: LoadedBundle,
  options: NucleiEvaluationOptions,
  scheme: TypeScheme,
): EvaluationContext {
  const { manifest } = bundle;
  const { targetMpp } = manifest.input;
  const imageMpp = options.imageMpp ?? ANNOTATED_TILE_MPP;
  const simulatedMpp = options.simulateMpp ?? null;
  if (simulatedMpp !== null && simulatedMpp <= imageMpp) {
    throw new EvaluationInputError(
      `--simulate-mpp ${simulatedMpp} must be coarser (larger) than the ` +
        `images' ${imageMpp} mpp.`,
    );
  }
  const mapping = typeMappingFor(scheme);
  const known = new Set(manifest.nucleusClasses.map((c) => c.index));
  const classIndices = mapping
    ? [...new Set(mapping.values())].filter((c) => known.has(c)).sort((a, b) => a - b)
    : [];
  return {
    resolution: { imageMpp, targetMpp, simulatedMpp },
    mapping,
    classIndices,
    radiusPx: options.radiusPx ?? DEFAULT_RADIUS_MICRONS / imageMpp,
    splits: splitMembership(bundle.calibration),
  };
}

async function evaluateImage(
  image: AnnotatedImage,
  segmenter: ImageSegmenter,
  context: EvaluationContext,
): Promise<ImageReport> {
  const size = await imageSize(image.imagePath);
  const original = await readRgbCrop(image.imagePath, {
    x: 0,
    y: 0,
    width: size.widthPx,
    height: size.heightPx,
  });
  const segmentation = await segmenter.segment(
    await toModelGrid(original, context.resolution),
  );
  const isSameGrid =
    segmentation.widthPx === size.widthPx && segmentation.heightPx === size.heightPx;
  const labels = isSameGrid
    ? segmentation.labels
    : resampleLabelsNearest(segmentation.labels, segmentation, size);

  const truth = await readGroundTruth(image.labels, { size, mapping: context.mapping });
  const figures = scoreImage(
    truth,
    { map: { ...size, labels }, classOfLabel: segmentation.classOfLabel },
    { radiusPx: context.radiusPx, classIndices: context.classIndices },
  );
  return {
    name: image.name,
    labelFormat: image.labels.format,
    bundleSplits: context.splits.get(image.name) ?? [],
    ...figures,
    tileCount: segmentation.tileCount,
    modelMs: segmentation.modelMs,
    postprocessMs: segmentation.postprocessMs,
  };
}
