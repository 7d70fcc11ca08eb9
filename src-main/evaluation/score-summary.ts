/**
 * Figures over a set of images, as HoVer-Net reports them: PQ, DQ, SQ and AJI
 * computed per image then averaged over images; detection F1 both averaged per
 * image and pooled over all nuclei; per class, PQ averaged over the images holding
 * the class (in truth or prediction) and F1 pooled over all images.
 */
import { detectionFromCounts, type DetectionScores } from './nuclei-metrics';
import type { ImageFigures } from './image-scores';

/** Means of the segmentation scores over the images that have them. */
export interface SegmentationMeans {
  imageCount: number;
  pq: number;
  dq: number;
  sq: number;
  aji: number;
}

/** One class over all images. */
export interface ClassSummary {
  classIndex: number;
  truthCount: number;
  predictedCount: number;
  ignoredCount: number;
  /** Mean per-class PQ over images holding the class; `null` when none does. */
  meanPq: number | null;
  pqImageCount: number;
  pooledDetection: DetectionScores;
}

/** Figures over all images. */
export interface ScoreSummary {
  imageCount: number;
  truthCount: number;
  predictedCount: number;
  /** `null` when no image has instance labels. */
  segmentation: SegmentationMeans | null;
  meanDetection: { precision: number; recall: number; f1: number };
  pooledDetection: DetectionScores;
  /** `null` when no image has typed labels. */
  classes: ClassSummary[] | null;
}

/** Summarises per-image figures (at least one image). */
export function summariseScores(images: readonly ImageFigures[]): ScoreSummary {
  const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
  const mean = (values: number[]) =>
    values.length > 0 ? sum(values) / values.length : 0;
  const segmented = images.flatMap((image) =>
    image.segmentation ? [image.segmentation] : [],
  );
  const detections = images.map((image) => image.detection);

  return {
    imageCount: images.length,
    truthCount: sum(images.map((image) => image.truthCount)),
    predictedCount: sum(images.map((image) => image.predictedCount)),
    segmentation:
      segmented.length > 0
        ? {
            imageCount: segmented.length,
            pq: mean(segmented.map((s) => s.pq)),
            dq: mean(segmented.map((s) => s.dq)),
            sq: mean(segmented.map((s) => s.sq)),
            aji: mean(segmented.map((s) => s.aji)),
          }
        : null,
    meanDetection: {
      precision: mean(detections.map((d) => d.precision)),
      recall: mean(detections.map((d) => d.recall)),
      f1: mean(detections.map((d) => d.f1)),
    },
    pooledDetection: poolDetections(detections),
    classes: summariseClasses(images),
  };
}

function poolDetections(detections: readonly DetectionScores[]): DetectionScores {
  return detectionFromCounts({
    matched: detections.reduce((total, d) => total + d.matched, 0),
    truthCount: detections.reduce((total, d) => total + d.truthCount, 0),
    predictedCount: detections.reduce((total, d) => total + d.predictedCount, 0),
  });
}

function summariseClasses(images: readonly ImageFigures[]): ClassSummary[] | null {
  const typed = images.flatMap((image) => (image.classes ? [image.classes] : []));
  const first = typed[0];
  if (!first) return null;

  return first.map(({ classIndex }) => {
    const figures = typed.flatMap((classes) =>
      classes.filter((c) => c.classIndex === classIndex),
    );
    const pqs = figures.flatMap((c) => (c.panoptic ? [c.panoptic.pq] : []));
    return {
      classIndex,
      truthCount: figures.reduce((total, c) => total + c.truthCount, 0),
      predictedCount: figures.reduce((total, c) => total + c.predictedCount, 0),
      ignoredCount: figures.reduce((total, c) => total + c.ignoredCount, 0),
      meanPq: pqs.length > 0 ? pqs.reduce((a, b) => a + b, 0) / pqs.length : null,
      pqImageCount: pqs.length,
      pooledDetection: poolDetections(figures.map((c) => c.detection)),
    };
  });
}
