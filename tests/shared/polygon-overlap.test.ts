import { describe, expect, it } from 'vitest';
import {
  boundsOverlap,
  ringArea,
  ringBounds,
  ringIntersectionArea,
} from '../../src-shared/polygon-overlap';

const square = (x: number, y: number, side: number) => [
  x,
  y,
  x + side,
  y,
  x + side,
  y + side,
  x,
  y + side,
];

/** A regular polygon approximating a disc of radius `r` at (cx, cy). */
const disc = (cx: number, cy: number, r: number, vertices = 64) =>
  Array.from({ length: vertices }, (_, k) => {
    const angle = (2 * Math.PI * k) / vertices;
    return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
  }).flat();

describe('ringArea', () => {
  it('gives the enclosed area whatever the winding when the ring is simple', () => {
    const ring = square(2, 3, 4);
    const reversed = Array.from({ length: 4 }, (_, k) =>
      ring.slice(2 * (3 - k), 2 * (4 - k)),
    ).flat();
    expect(ringArea(ring)).toBe(16);
    expect(ringArea(reversed)).toBe(16);
  });
});

describe('ringIntersectionArea', () => {
  it('measures the overlap of two axis-aligned squares exactly when they overlap', () => {
    expect(ringIntersectionArea(square(0, 0, 10), square(6, 4, 10), 0.25)).toBeCloseTo(
      24,
      9,
    );
  });

  it('returns 0 when the rings only touch along an edge', () => {
    expect(ringIntersectionArea(square(0, 0, 10), square(10, 0, 10), 0.25)).toBe(0);
  });

  it('gives the same area whichever ring comes first when the rings are curved', () => {
    const a = disc(0, 0, 6);
    const b = disc(5, 2, 4, 17);
    expect(ringIntersectionArea(a, b, 0.25)).toBe(ringIntersectionArea(b, a, 0.25));
  });

  it('approaches the area of a ring inside the other when the step is fine', () => {
    const inner = disc(1, 1, 3);
    expect(ringIntersectionArea(disc(0, 0, 8), inner, 0.05)).toBeCloseTo(
      ringArea(inner),
      1,
    );
  });
});

describe('boundsOverlap', () => {
  it('is false for bounds that share only an edge', () => {
    expect(boundsOverlap(ringBounds(square(0, 0, 5)), ringBounds(square(5, 0, 5)))).toBe(
      false,
    );
    expect(boundsOverlap(ringBounds(square(0, 0, 5)), ringBounds(square(4, 4, 5)))).toBe(
      true,
    );
  });
});
