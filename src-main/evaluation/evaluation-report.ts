/**
 * The nuclei evaluation's result as one JSON-ready object: every figure, the data
 * it is on, the bundle that produced it, the resolution assumed and the timings.
 */
import type { BundleManifest } from '../../src-shared/bundle-manifest';
import { isSeenSplit, type SplitMembership } from './bundle-splits';
import type { ImageFigures } from './image-scores';
import type { ModelResolution } from './image-resampling';
import { summariseScores, type ScoreSummary } from './score-summary';
import { datasetLabel, type AnnotatedImage, type TileFolder } from './tile-folder';
import type { TypeMapping, TypeScheme } from './type-mappings';

/** The metric definitions, stated with every report. */
export const METRIC_DEFINITIONS = {
  pq:
    'PQ = DQ x SQ: a true and a predicted nucleus match when their IoU > 0.5; ' +
    'DQ = TP / (TP + FP/2 + FN/2), SQ = mean IoU of the matches',
  aji:
    "AJI as HoVer-Net's get_fast_aji: each true nucleus is paired with its " +
    'highest-IoU prediction; unpaired nuclei of either side add their area to the union',
  detection:
    'detection P/R/F1: centroids matched one-to-one, greedily by increasing distance, ' +
    'within the radius',
  perClass:
    'per-class PQ: PQ between the true and the predicted instances of class c; ' +
    'per-class F1: detection F1 between the class-c centroids; predictions lying on ' +
    'a true nucleus of unknown type are left out',
  averaging:
    'PQ, DQ, SQ, AJI and F1 computed per image, then averaged over images; pooled F1 ' +
    'counts all nuclei together; per-class PQ is averaged over the images holding ' +
    'the class, per-class F1 is pooled',
} as const;

/** Per-run settings shared by every image. */
export interface EvaluationContext {
  resolution: ModelResolution;
  mapping: TypeMapping | null;
  classIndices: number[];
  radiusPx: number;
  splits: SplitMembership;
}

/** One image's figures with what produced them. */
export interface ImageReport extends ImageFigures {
  name: string;
  labelFormat: AnnotatedImage['labels']['format'];
  /** The bundle's splits that name this image (`consep/train`); empty when none. */
  bundleSplits: string[];
  tileCount: number;
  modelMs: number;
  postprocessMs: number;
}

/**
 * Everything the command prints, and writes with `--json`. The first five fields are
 * the headline, in the shape models/training/record_test_figures.py reads into the
 * model card; the rest give the detail.
 */
export interface NucleiEvaluationReport {
  /** Number of images scored. */
  images: number;
  /** Number of true nuclei over all images. */
  trueNuclei: number;
  /** The mpp the images were taken to be at. */
  mpp: number;
  radiusPx: number;
  /** Means over images, the figures to quote; `null` without instance labels. */
  mean: {
    pq: number | null;
    dq: number | null;
    sq: number | null;
    aji: number | null;
    f1: number;
  };
  data: {
    folder: string;
    dataset: string;
    imageCount: number;
    truthNucleusCount: number;
    labelFormats: string[];
    typeScheme: TypeScheme;
    scoredClasses: { index: number; name: string }[];
    /** Images named by a bundle split other than `test`, per split. */
    seenBySplit: Record<string, number>;
    seenImageCount: number;
  };
  bundle: {
    id: string;
    version: string;
    graphFiles: { path: string; sha256: string }[];
    targetMpp: number;
    tileSizePx: number;
    overlapPx: number;
  };
  resolution: ModelResolution & { isImageMppAssumed: boolean };
  matching: {
    iouThreshold: number;
    radiusPx: number;
    radiusMicrons: number;
    definitions: typeof METRIC_DEFINITIONS;
  };
  perImage: ImageReport[];
  summary: ScoreSummary;
  timing: {
    wallMs: number;
    modelMs: number;
    modelTileCount: number;
    msPerModelTile: number;
    postprocessMs: number;
    batchSize: number;
    threads: number;
  };
}

/** What {@link buildReport} assembles. */
export interface ReportInputs {
  folder: TileFolder;
  scheme: TypeScheme;
  manifest: BundleManifest;
  context: EvaluationContext;
  isImageMppAssumed: boolean;
  images: ImageReport[];
  timing: { wallMs: number; batchSize: number; threads: number };
}

/** Assembles the report from the per-image figures. */
export function buildReport(inputs: ReportInputs): NucleiEvaluationReport {
  const { manifest, context, images } = inputs;
  const summary = summariseScores(images);
  return {
    ...headline(summary, context),
    data: describeData(inputs, summary.truthCount),
    bundle: describeBundle(manifest),
    resolution: { ...context.resolution, isImageMppAssumed: inputs.isImageMppAssumed },
    matching: {
      iouThreshold: 0.5,
      radiusPx: context.radiusPx,
      radiusMicrons: context.radiusPx * context.resolution.imageMpp,
      definitions: METRIC_DEFINITIONS,
    },
    perImage: images,
    summary,
    timing: summariseTiming(images, inputs.timing),
  };
}

function headline(
  summary: ScoreSummary,
  context: EvaluationContext,
): Pick<NucleiEvaluationReport, 'images' | 'trueNuclei' | 'mpp' | 'radiusPx' | 'mean'> {
  const means = summary.segmentation;
  return {
    images: summary.imageCount,
    trueNuclei: summary.truthCount,
    mpp: context.resolution.imageMpp,
    radiusPx: context.radiusPx,
    mean: {
      pq: means?.pq ?? null,
      dq: means?.dq ?? null,
      sq: means?.sq ?? null,
      aji: means?.aji ?? null,
      f1: summary.meanDetection.f1,
    },
  };
}

function describeBundle(manifest: BundleManifest): NucleiEvaluationReport['bundle'] {
  return {
    id: manifest.id,
    version: manifest.version,
    graphFiles: manifest.graphs.map((graph) => ({
      path: graph.file,
      sha256:
        manifest.files.find((file) => file.path === graph.file)?.sha256 ?? 'unknown',
    })),
    targetMpp: manifest.input.targetMpp,
    tileSizePx: manifest.input.tileSizePx,
    overlapPx: manifest.input.recommendedOverlapPx,
  };
}

function describeData(
  inputs: ReportInputs,
  truthNucleusCount: number,
): NucleiEvaluationReport['data'] {
  const { folder, manifest, context, images } = inputs;
  const seenBySplit: Record<string, number> = {};
  let seenImageCount = 0;
  for (const image of images) {
    const seen = image.bundleSplits.filter(isSeenSplit);
    if (seen.length > 0) seenImageCount += 1;
    for (const split of seen) seenBySplit[split] = (seenBySplit[split] ?? 0) + 1;
  }
  return {
    folder: folder.folder,
    dataset: datasetLabel(folder.folder),
    imageCount: images.length,
    truthNucleusCount,
    labelFormats: [...new Set(images.map((image) => image.labelFormat))],
    typeScheme: inputs.scheme,
    scoredClasses: context.classIndices.map((index) => ({
      index,
      name:
        manifest.nucleusClasses.find((c) => c.index === index)?.name ?? `class ${index}`,
    })),
    seenBySplit,
    seenImageCount,
  };
}

function summariseTiming(
  images: readonly ImageReport[],
  run: { wallMs: number; batchSize: number; threads: number },
): NucleiEvaluationReport['timing'] {
  const modelMs = images.reduce((total, image) => total + image.modelMs, 0);
  const modelTileCount = images.reduce((total, image) => total + image.tileCount, 0);
  return {
    wallMs: run.wallMs,
    modelMs,
    modelTileCount,
    msPerModelTile: modelTileCount > 0 ? modelMs / modelTileCount : 0,
    postprocessMs: images.reduce((total, image) => total + image.postprocessMs, 0),
    batchSize: run.batchSize,
    threads: run.threads,
  };
}
