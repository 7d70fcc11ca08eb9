/**
 * Scanline filling of polygons into an instance label image, in the convention of
 * OpenCV's `fillPoly` (which rasterised the public label maps this app is scored
 * on): vertices are truncated to whole pixels, pixel centres sit on integer
 * coordinates, and a pixel is filled when its centre lies inside the polygon or on
 * its outline, the outline drawn as 8-connected lines. Pure: no I/O.
 */
import type { Point } from './geometry';

/** Size of the label image, pixels. */
export interface FillSize {
  widthPx: number;
  heightPx: number;
}

/**
 * Label image of `polygons` (pixel coordinates): polygon k (0-based) is label k + 1,
 * 0 is background, and a later polygon overwrites an earlier one where they overlap.
 */
export function fillPolygons(
  polygons: readonly (readonly Point[])[],
  size: FillSize,
): Uint32Array {
  const labels = new Uint32Array(size.widthPx * size.heightPx);
  polygons.forEach((polygon, k) => {
    const vertices = polygon.map((p) => ({ x: Math.trunc(p.x), y: Math.trunc(p.y) }));
    if (vertices.length === 0) return;
    fillInterior(labels, { vertices, size, label: k + 1 });
    drawOutline(labels, { vertices, size, label: k + 1 });
  });
  return labels;
}

interface FillTarget {
  vertices: Point[];
  size: FillSize;
  label: number;
}

function fillInterior(labels: Uint32Array, target: FillTarget): void {
  const { vertices, size, label } = target;
  const ys = vertices.map((p) => p.y);
  const yFirst = Math.max(0, Math.min(...ys));
  const yLast = Math.min(size.heightPx - 1, Math.max(...ys));

  for (let y = yFirst; y <= yLast; y += 1) {
    const crossings = scanlineCrossings(vertices, y);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const xFirst = Math.max(0, Math.ceil(crossings[k] as number));
      const xLast = Math.min(size.widthPx - 1, Math.floor(crossings[k + 1] as number));
      if (xLast >= xFirst) {
        labels.fill(label, y * size.widthPx + xFirst, y * size.widthPx + xLast + 1);
      }
    }
  }
}

/**
 * Sorted x where the horizontal line at `sampleY` crosses the polygon's edges; edges
 * are half-open in y, so a vertex on the line is counted once or not at all.
 */
export function scanlineCrossings(polygon: readonly Point[], sampleY: number): number[] {
  const crossings: number[] = [];
  for (let i = 0; i < polygon.length; i += 1) {
    const a = polygon[i] as Point;
    const b = polygon[(i + 1) % polygon.length] as Point;
    if (a.y <= sampleY === b.y <= sampleY) continue;
    crossings.push(a.x + ((sampleY - a.y) / (b.y - a.y)) * (b.x - a.x));
  }
  return crossings.sort((p, q) => p - q);
}

function drawOutline(labels: Uint32Array, target: FillTarget): void {
  const { vertices, size, label } = target;
  const plot = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < size.widthPx && y < size.heightPx) {
      labels[y * size.widthPx + x] = label;
    }
  };
  vertices.forEach((a, i) => {
    const b = vertices[(i + 1) % vertices.length] as Point;
    drawLine(a, b, plot);
  });
}

/** Bresenham's line from `a` to `b`, both ends included (integer points). */
function drawLine(a: Point, b: Point, plot: (x: number, y: number) => void): void {
  const dx = Math.abs(b.x - a.x);
  const dy = -Math.abs(b.y - a.y);
  const stepX = a.x < b.x ? 1 : -1;
  const stepY = a.y < b.y ? 1 : -1;
  let error = dx + dy;
  let { x, y } = a;
  for (;;) {
    plot(x, y);
    if (x === b.x && y === b.y) return;
    const doubled = 2 * error;
    if (doubled >= dy) {
      error += dy;
      x += stepX;
    }
    if (doubled <= dx) {
      error += dx;
      y += stepY;
    }
  }
}
