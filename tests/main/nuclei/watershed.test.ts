import { describe, expect, it } from 'vitest';
import { floodFromMarkers } from '../../../src-main/nuclei/watershed';

/**
 * A row of 7 pixels: marker 1, three pixels to flood, marker 2, a gap outside the
 * mask, and an unreachable masked pixel at elevation `farElevation`. The middle
 * pixel goes to whichever marker's neighbour floods first: marker 2's, which lies
 * 0.01 lower.
 */
function floodRow(farElevation: number, range?: { min: number; max: number }): number[] {
  return Array.from(
    floodFromMarkers({
      widthPx: 7,
      heightPx: 1,
      elevation: Float32Array.from([0.3, 0.31, 0.5, 0.3, 0.3, 0, farElevation]),
      markers: Int32Array.from([1, 0, 0, 0, 2, 0, 0]),
      mask: Uint8Array.from([1, 1, 1, 1, 1, 0, 1]),
      elevationRange: range,
    }),
  );
}

describe('floodFromMarkers', () => {
  it('floods lower pixels first when their elevations differ by a level', () => {
    expect(floodRow(1)).toEqual([1, 1, 2, 2, 2, 0, 0]);
  });

  it('floods in the same order whatever lies elsewhere when the elevation range is fixed', () => {
    const range = { min: 0, max: 1 };

    expect(floodRow(1000, range)).toEqual(floodRow(1, range));
    expect(floodRow(-1000, range)).toEqual(floodRow(1, range));
  });
});

describe('floodFromMarkers on a plateau', () => {
  it('splits a flat run between two markers by arrival, first marker first', () => {
    const labels = floodFromMarkers({
      widthPx: 6,
      heightPx: 1,
      elevation: new Float32Array(6),
      markers: Int32Array.from([1, 0, 0, 0, 0, 2]),
      mask: new Uint8Array(6).fill(1),
    });

    expect(Array.from(labels)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('reaches pixels queued on their own level while that level floods', () => {
    const labels = floodFromMarkers({
      widthPx: 5,
      heightPx: 1,
      elevation: Float32Array.from([0, 1, 1, 1, 0.5]),
      markers: Int32Array.from([3, 0, 0, 0, 0]),
      mask: new Uint8Array(5).fill(1),
      elevationRange: { min: 0, max: 1 },
    });

    expect(Array.from(labels)).toEqual([3, 3, 3, 3, 3]);
  });
});
