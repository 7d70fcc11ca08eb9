/**
 * Simplified contour polygons of labelled nuclei, traced by OpenCV on a crop of each
 * nucleus's bounding box.
 */
import type { Point } from '../../src-shared/geometry';
import { MatScope, type CvMat, type OpenCv } from './opencv';

/** Douglas-Peucker tolerance: half a pixel keeps the outline within the pixel grid. */
const SIMPLIFY_TOLERANCE_PX = 0.5;

/** Where a nucleus sits in the label image. */
export interface LabelBox {
  label: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * The outer contour of `box.label`, through pixel centres (pixel (x, y) has centre
 * (x + 0.5, y + 0.5)) in tile pixels; the largest piece when the label is split.
 */
export function traceContour(
  cv: OpenCv,
  image: { labels: Int32Array; widthPx: number },
  box: LabelBox,
): Point[] {
  const cropWidth = box.maxX - box.minX + 3;
  const cropHeight = box.maxY - box.minY + 3;
  const scope = new MatScope();
  try {
    const crop = scope.track(new cv.Mat(cropHeight, cropWidth, cv.CV_8UC1));
    fillCrop(crop, image, box);

    const contours = scope.track(new cv.MatVector());
    const hierarchy = scope.track(new cv.Mat());
    cv.findContours(crop, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_NONE);
    const largest = largestContour(scope, contours);
    if (!largest) return [];

    const simplified = scope.track(new cv.Mat());
    cv.approxPolyDP(largest, simplified, SIMPLIFY_TOLERANCE_PX, true);
    return toPoints(simplified.data32S, box);
  } finally {
    scope.close();
  }
}

function fillCrop(
  crop: CvMat,
  image: { labels: Int32Array; widthPx: number },
  box: LabelBox,
): void {
  const cropWidth = crop.cols;
  const data = crop.data;
  data.fill(0);
  for (let y = box.minY; y <= box.maxY; y += 1) {
    const row = y * image.widthPx;
    const cropRow = (y - box.minY + 1) * cropWidth + 1 - box.minX;
    for (let x = box.minX; x <= box.maxX; x += 1) {
      if (image.labels[row + x] === box.label) data[cropRow + x] = 255;
    }
  }
}

function largestContour(
  scope: MatScope,
  contours: { size(): number; get(i: number): CvMat },
): CvMat | null {
  let best: CvMat | null = null;
  for (let i = 0; i < contours.size(); i += 1) {
    const contour = scope.track(contours.get(i));
    if (!best || contour.rows > best.rows) best = contour;
  }
  return best;
}

function toPoints(xy: Int32Array, box: LabelBox): Point[] {
  const points: Point[] = [];
  for (let i = 0; i + 1 < xy.length; i += 2) {
    points.push({
      x: (xy[i] as number) - 1 + box.minX + 0.5,
      y: (xy[i + 1] as number) - 1 + box.minY + 0.5,
    });
  }
  return points;
}
