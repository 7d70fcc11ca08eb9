/**
 * Areas of flat polygon rings (`[x0, y0, x1, y1, ...]`, any one coordinate space)
 * and of the overlap of two rings, for deciding whether two nucleus outlines claim
 * the same pixels. Pure: no I/O.
 */

/** Axis-aligned bounds of a ring. */
export interface RingBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Bounds of a flat ring; an empty ring gives inverted (infinite) bounds. */
export function ringBounds(ring: ArrayLike<number>): RingBounds {
  const bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (let k = 0; k + 1 < ring.length; k += 2) {
    const x = ring[k]!;
    const y = ring[k + 1]!;
    if (x < bounds.minX) bounds.minX = x;
    if (x > bounds.maxX) bounds.maxX = x;
    if (y < bounds.minY) bounds.minY = y;
    if (y > bounds.maxY) bounds.maxY = y;
  }
  return bounds;
}

/** Whether two bounds share more than an edge. */
export function boundsOverlap(a: RingBounds, b: RingBounds): boolean {
  return a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;
}

/** Enclosed area of a simple ring (shoelace formula), square units of its space. */
export function ringArea(ring: ArrayLike<number>): number {
  const n = ring.length >> 1;
  let twice = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    twice += ring[2 * j]! * ring[2 * i + 1]! - ring[2 * i]! * ring[2 * j + 1]!;
  }
  return Math.abs(twice) / 2;
}

/**
 * Area inside both rings (even-odd rule), measured on horizontal scanlines `stepPx`
 * apart: exact along each line, so the error is a fraction of `stepPx` times the
 * overlap's height. Symmetric in `a` and `b`.
 */
export function ringIntersectionArea(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  stepPx: number,
): number {
  const boundsA = ringBounds(a);
  const boundsB = ringBounds(b);
  const minY = Math.max(boundsA.minY, boundsB.minY);
  const maxY = Math.min(boundsA.maxY, boundsB.maxY);
  if (!(maxY > minY) || !boundsOverlap(boundsA, boundsB)) return 0;

  let area = 0;
  for (let y = minY + stepPx / 2; y < maxY; y += stepPx) {
    area += sharedLength(ringCrossings(a, y), ringCrossings(b, y)) * stepPx;
  }
  return area;
}

/** Sorted x where the line at `y` crosses the ring; edges are half-open in y. */
function ringCrossings(ring: ArrayLike<number>, y: number): number[] {
  const n = ring.length >> 1;
  const crossings: number[] = [];
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i]!;
    const yi = ring[2 * i + 1]!;
    const xj = ring[2 * j]!;
    const yj = ring[2 * j + 1]!;
    if (yi > y === yj > y) continue;
    crossings.push(xi + ((y - yi) / (yj - yi)) * (xj - xi));
  }
  return crossings.sort((p, q) => p - q);
}

/** Total length shared by two sorted lists of [enter, leave] crossing pairs. */
function sharedLength(a: number[], b: number[]): number {
  let length = 0;
  let i = 0;
  let j = 0;
  while (i + 1 < a.length && j + 1 < b.length) {
    const start = Math.max(a[i]!, b[j]!);
    const end = Math.min(a[i + 1]!, b[j + 1]!);
    if (end > start) length += end - start;
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return length;
}
