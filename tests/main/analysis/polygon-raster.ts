/**
 * Polygon measures for comparing nuclei outlines in tests: bounding boxes, and
 * intersection areas by sampling a fine grid (exact enough for IoU at 1/4 pixel).
 */
import { polygonContainsPoint } from '../../../src-shared/nuclei-chunk';

/** Bounding box of a flat ring, level-0 pixels. */
export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Bounding box of a flat `[x0, y0, ...]` ring. */
export function boxOf(polygon: ArrayLike<number>): Box {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (let k = 0; k < polygon.length; k += 2) {
    box.minX = Math.min(box.minX, polygon[k]!);
    box.maxX = Math.max(box.maxX, polygon[k]!);
    box.minY = Math.min(box.minY, polygon[k + 1]!);
    box.maxY = Math.max(box.maxY, polygon[k + 1]!);
  }
  return box;
}

const STEP_PX = 0.25;

function sampleArea(box: Box, isInside: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let y = box.minY + STEP_PX / 2; y < box.maxY; y += STEP_PX) {
    for (let x = box.minX + STEP_PX / 2; x < box.maxX; x += STEP_PX) {
      if (isInside(x, y)) hits += 1;
    }
  }
  return hits * STEP_PX * STEP_PX;
}

/** Area shared by two rings, level-0 pixels squared. */
export function intersectionArea(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const boxA = boxOf(a);
  const boxB = boxOf(b);
  const box = {
    minX: Math.max(boxA.minX, boxB.minX),
    minY: Math.max(boxA.minY, boxB.minY),
    maxX: Math.min(boxA.maxX, boxB.maxX),
    maxY: Math.min(boxA.maxY, boxB.maxY),
  };
  if (box.maxX <= box.minX || box.maxY <= box.minY) return 0;
  return sampleArea(
    box,
    (x, y) => polygonContainsPoint(a, x, y) && polygonContainsPoint(b, x, y),
  );
}

/** Area of one ring, sampled the same way as {@link intersectionArea}. */
export function sampledArea(polygon: ArrayLike<number>): number {
  return sampleArea(boxOf(polygon), (x, y) => polygonContainsPoint(polygon, x, y));
}

/** Intersection over union of two rings. */
export function polygonIou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const shared = intersectionArea(a, b);
  const union = sampledArea(a) + sampledArea(b) - shared;
  return union > 0 ? shared / union : 0;
}
