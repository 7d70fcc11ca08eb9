/**
 * Scores of one image against its ground truth: PQ, DQ, SQ and AJI over instance
 * maps, detection precision, recall and F1 over centroids, and per class:
 * - per-class PQ: PQ between the true instances of class c and the predicted
 *   instances of class c (each map restricted to that class);
 * - per-class F1: detection F1 between the centroids of those two sets.
 * A true nucleus of unknown type belongs to no class; a prediction matched to one
 * (IoU > 0.5, or paired by centroid) is left out of every class, since its true
 * class cannot be known.
 */
import type { Point } from '../../src-shared/geometry';
import type { GroundTruth, TruthPoint } from './label-readers';
import {
  computeOverlap,
  instanceStats,
  type InstanceMap,
  type InstanceStats,
} from './instance-overlap';
import {
  aggregatedJaccard,
  detectionFromCounts,
  greedyCentroidPairs,
  matchCentroids,
  panopticMatches,
  panopticQuality,
  type DetectionScores,
  type PanopticMatch,
  type PanopticScores,
} from './nuclei-metrics';

/** The nuclei the pipeline found, on the ground truth's grid. */
export interface PredictedNuclei {
  map: InstanceMap;
  /** Class index of label k at `k - 1` (`null`: no type). */
  classOfLabel: readonly (number | null)[];
}

/** Scores of one class in one image. */
export interface ClassFigures {
  classIndex: number;
  truthCount: number;
  /** Predictions of the class, less those on nuclei of unknown type. */
  predictedCount: number;
  /** Predictions of the class left out because they lie on a nucleus of unknown type. */
  ignoredCount: number;
  /** `null` for point labels, or when neither side holds the class. */
  panoptic: PanopticScores | null;
  detection: DetectionScores;
}

/** Scores of one image. */
export interface ImageFigures {
  truthCount: number;
  predictedCount: number;
  /** `null` for point labels, or when neither side has any nucleus. */
  segmentation: (PanopticScores & { aji: number }) | null;
  detection: DetectionScores;
  /** `null` when the labels or the bundle carry no types. */
  classes: ClassFigures[] | null;
}

/** One side's nuclei: ids in increasing order, with centroids and classes alongside. */
interface Side {
  ids: number[];
  centroids: Point[];
  classes: (number | null)[];
}

/** Scores `predicted` against `truth`; centroids match within `radiusPx`. */
export function scoreImage(
  truth: GroundTruth,
  predicted: PredictedNuclei,
  options: { radiusPx: number; classIndices: readonly number[] },
): ImageFigures {
  const classOf = (id: number) => predicted.classOfLabel[id - 1] ?? null;
  const hasPredictedClasses = predicted.classOfLabel.some((c) => c !== null);
  if (truth.kind === 'points') {
    const hasClasses = truth.hasClasses && hasPredictedClasses;
    return scorePoints(truth.points, predicted, { ...options, classOf, hasClasses });
  }
  const hasClasses = truth.classes !== null && hasPredictedClasses;
  return scoreInstances(truth, predicted, { ...options, classOf, hasClasses });
}

interface ScoringOptions {
  radiusPx: number;
  classIndices: readonly number[];
  classOf: (id: number) => number | null;
  hasClasses: boolean;
}

function scorePoints(
  points: readonly TruthPoint[],
  predicted: PredictedNuclei,
  options: ScoringOptions,
): ImageFigures {
  const truthSide: Side = {
    ids: points.map((_, i) => i + 1),
    centroids: [...points],
    classes: points.map((p) => p.classIndex),
  };
  const predictedSide = sideOf(instanceStats(predicted.map), options.classOf);
  const pairs = greedyCentroidPairs(
    truthSide.centroids,
    predictedSide.centroids,
    options.radiusPx,
  );
  const ignored = ignoredPredictions({ truthSide, predictedSide, pairs, matches: [] });
  const context = { truthSide, predictedSide, ignored, radiusPx: options.radiusPx };
  const classes = options.hasClasses
    ? options.classIndices.map((c) => classFigures(c, context))
    : null;
  return summarise({ truthSide, predictedSide, pairs, segmentation: null, classes });
}

function scoreInstances(
  truth: Extract<GroundTruth, { kind: 'instances' }>,
  predicted: PredictedNuclei,
  options: ScoringOptions,
): ImageFigures {
  const overlap = computeOverlap(truth.map, predicted.map);
  const truthSide = sideOf(overlap.truth, (id) => truth.classes?.get(id) ?? null);
  const predictedSide = sideOf(overlap.predicted, options.classOf);
  const pairs = greedyCentroidPairs(
    truthSide.centroids,
    predictedSide.centroids,
    options.radiusPx,
  );
  const isEmpty = truthSide.ids.length + predictedSide.ids.length === 0;
  const segmentation = isEmpty
    ? null
    : { ...panopticQuality(overlap), aji: aggregatedJaccard(overlap) };

  const matches = panopticMatches(overlap);
  const ignored = ignoredPredictions({ truthSide, predictedSide, pairs, matches });
  const maps: [InstanceMap, InstanceMap] = [truth.map, predicted.map];
  const context = { truthSide, predictedSide, ignored, radiusPx: options.radiusPx, maps };
  const classes = options.hasClasses
    ? options.classIndices.map((c) => classFigures(c, context))
    : null;
  return summarise({ truthSide, predictedSide, pairs, segmentation, classes });
}

function summarise(parts: {
  truthSide: Side;
  predictedSide: Side;
  pairs: [number, number][];
  segmentation: ImageFigures['segmentation'];
  classes: ClassFigures[] | null;
}): ImageFigures {
  const truthCount = parts.truthSide.ids.length;
  const predictedCount = parts.predictedSide.ids.length;
  return {
    truthCount,
    predictedCount,
    segmentation: parts.segmentation,
    detection: detectionFromCounts({
      matched: parts.pairs.length,
      truthCount,
      predictedCount,
    }),
    classes: parts.classes,
  };
}

function sideOf(stats: InstanceStats, classOf: (id: number) => number | null): Side {
  return {
    ids: stats.ids,
    centroids: stats.ids.map((id) => stats.centroid.get(id) as Point),
    classes: stats.ids.map(classOf),
  };
}

/**
 * Ids of the predictions matched to a true nucleus of unknown type, by IoU > 0.5
 * (`matches`) or by centroid (`pairs`, indices into the sides).
 */
function ignoredPredictions(found: {
  truthSide: Side;
  predictedSide: Side;
  pairs: [number, number][];
  matches: PanopticMatch[];
}): Set<number> {
  const { truthSide, predictedSide } = found;
  const unknown = new Set(truthSide.ids.filter((_, i) => truthSide.classes[i] === null));
  const ignored = new Set<number>();
  for (const match of found.matches) {
    if (unknown.has(match.truthId)) ignored.add(match.predictedId);
  }
  for (const [t, p] of found.pairs) {
    if (truthSide.classes[t] === null) ignored.add(predictedSide.ids[p] as number);
  }
  return ignored;
}

function classFigures(
  classIndex: number,
  context: {
    truthSide: Side;
    predictedSide: Side;
    ignored: ReadonlySet<number>;
    radiusPx: number;
    maps?: [InstanceMap, InstanceMap];
  },
): ClassFigures {
  const { truthSide, predictedSide, ignored, maps } = context;
  const truthIndices = indicesOf(truthSide, (i) => truthSide.classes[i] === classIndex);
  const allPredicted = indicesOf(
    predictedSide,
    (i) => predictedSide.classes[i] === classIndex,
  );
  const kept = allPredicted.filter((i) => !ignored.has(predictedSide.ids[i] as number));
  const detection = matchCentroids(
    truthIndices.map((i) => truthSide.centroids[i] as Point),
    kept.map((i) => predictedSide.centroids[i] as Point),
    context.radiusPx,
  );

  const hasAny = truthIndices.length + kept.length > 0;
  const panoptic =
    maps && hasAny
      ? classPanoptic(maps, [idsAt(truthSide, truthIndices), idsAt(predictedSide, kept)])
      : null;
  return {
    classIndex,
    truthCount: truthIndices.length,
    predictedCount: kept.length,
    ignoredCount: allPredicted.length - kept.length,
    panoptic,
    detection,
  };
}

/** PQ between the two maps, each restricted to the ids given for it. */
function classPanoptic(
  maps: [InstanceMap, InstanceMap],
  ids: [ReadonlySet<number>, ReadonlySet<number>],
): PanopticScores {
  return panopticQuality(
    computeOverlap(restrictMap(maps[0], ids[0]), restrictMap(maps[1], ids[1])),
  );
}

function indicesOf(side: Side, keep: (index: number) => boolean): number[] {
  return side.ids.map((_, i) => i).filter(keep);
}

function idsAt(side: Side, indices: number[]): Set<number> {
  return new Set(indices.map((i) => side.ids[i] as number));
}

/** A copy of `map` holding only the instances in `keep`. */
function restrictMap(map: InstanceMap, keep: ReadonlySet<number>): InstanceMap {
  const labels = Uint32Array.from(map.labels, (id) => (keep.has(id) ? id : 0));
  return { widthPx: map.widthPx, heightPx: map.heightPx, labels };
}
