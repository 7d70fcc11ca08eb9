import { describe, expect, it } from 'vitest';
import { fillPolygons, scanlineCrossings } from '../../src-shared/polygon-fill';

const picture = (labels: Uint32Array, widthPx: number) =>
  Array.from({ length: labels.length / widthPx }, (_, y) =>
    Array.from(labels.subarray(y * widthPx, (y + 1) * widthPx)).join(''),
  );

describe('fillPolygons', () => {
  it('fills the interior and the outline when given a square with integer corners', () => {
    const square = [
      { x: 1, y: 1 },
      { x: 3, y: 1 },
      { x: 3, y: 3 },
      { x: 1, y: 3 },
    ];

    const labels = fillPolygons([square], { widthPx: 5, heightPx: 5 });

    expect(picture(labels, 5)).toEqual(['00000', '01110', '01110', '01110', '00000']);
  });

  it('lets a later polygon overwrite an earlier one when they overlap', () => {
    const first = [
      { x: 0, y: 0 },
      { x: 2, y: 0 },
      { x: 2, y: 1 },
      { x: 0, y: 1 },
    ];
    const second = [
      { x: 2, y: 0 },
      { x: 3, y: 0 },
      { x: 3, y: 1 },
      { x: 2, y: 1 },
    ];

    const labels = fillPolygons([first, second], { widthPx: 4, heightPx: 2 });

    expect(picture(labels, 4)).toEqual(['1122', '1122']);
  });

  it('truncates fractional vertices and clips to the image when a polygon runs off the edge', () => {
    const triangle = [
      { x: -2.5, y: 0.9 },
      { x: 2.7, y: 0.2 },
      { x: 2.2, y: 9 },
    ];

    const labels = fillPolygons([triangle], { widthPx: 3, heightPx: 3 });

    expect(labels.length).toBe(9);
    expect(labels[0 * 3 + 2]).toBe(1);
    expect(labels[2 * 3 + 2]).toBe(1);
  });
});

describe('scanlineCrossings', () => {
  it('counts a vertex on the scanline once when the polygon passes through it', () => {
    const diamond = [
      { x: 2, y: 0 },
      { x: 4, y: 2 },
      { x: 2, y: 4 },
      { x: 0, y: 2 },
    ];

    expect(scanlineCrossings(diamond, 2)).toEqual([0, 4]);
    expect(scanlineCrossings(diamond, 1)).toEqual([1, 3]);
  });
});
