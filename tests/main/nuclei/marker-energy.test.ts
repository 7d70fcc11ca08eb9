import { describe, expect, it } from 'vitest';
import {
  computeMarkerEnergy,
  fillHoles,
  slopeScaleOf,
  type MarkerParameters,
} from '../../../src-main/nuclei/marker-energy';
import { liveMatCount, loadOpenCv, MatScope } from '../../../src-main/nuclei/opencv';
import type { TileMaps } from '../../../src-main/nuclei/tile-maps';
import { seededRandom } from '../../../src-shared/seeded-random';
import { discMaps, type Disc } from './synthetic-maps';

const PARAMS = {
  npThreshold: 0.5,
  minAreaPx: 10,
  markerThreshold: 0.4,
  markerMinAreaPx: 10,
};

/** Sobel radius (10 px) plus the 3 x 3 blur: pixels further in see no crop border. */
const BORDER_PX = 12;

const TOUCHING: Disc[] = [
  { centreX: 40, centreY: 40, radiusPx: 10, classIndex: 1 },
  { centreX: 58, centreY: 40, radiusPx: 10, classIndex: 1 },
  { centreX: 60, centreY: 70, radiusPx: 12, classIndex: 1 },
];

function energyOf(maps: TileMaps) {
  return energyAt(maps, PARAMS);
}

async function energyAt(maps: TileMaps, params: MarkerParameters) {
  const { cv } = await loadOpenCv();
  const planePx = maps.widthPx * maps.heightPx;
  const probability = new Float32Array(planePx);
  for (let i = 0; i < planePx; i += 1) {
    probability[i] = 1 / (1 + Math.exp(maps.np[i]! - maps.np[planePx + i]!));
  }
  return computeMarkerEnergy(
    cv,
    { probability, hv: maps.hv, widthPx: maps.widthPx, heightPx: maps.heightPx },
    params,
  );
}

/** Plane `plane` of `maps` cropped to the square at (x, y) of side `sizePx`. */
function cropPlane(
  plane: Float32Array,
  maps: TileMaps,
  crop: { x: number; y: number; sizePx: number },
) {
  const out = new Float32Array(crop.sizePx * crop.sizePx);
  for (let row = 0; row < crop.sizePx; row += 1) {
    const from = (crop.y + row) * maps.widthPx + crop.x;
    out.set(plane.subarray(from, from + crop.sizePx), row * crop.sizePx);
  }
  return out;
}

function cropMaps(
  maps: TileMaps,
  crop: { x: number; y: number; sizePx: number },
): TileMaps {
  const planePx = maps.widthPx * maps.heightPx;
  const planes = (data: Float32Array, count: number) => {
    const out = new Float32Array(count * crop.sizePx * crop.sizePx);
    for (let k = 0; k < count; k += 1) {
      const plane = data.subarray(k * planePx, (k + 1) * planePx);
      out.set(cropPlane(plane, maps, crop), k * crop.sizePx * crop.sizePx);
    }
    return out;
  };
  return {
    widthPx: crop.sizePx,
    heightPx: crop.sizePx,
    np: planes(maps.np, 2),
    hv: planes(maps.hv, 2),
    nt: null,
    ntChannels: 0,
  };
}

/** A ramp of the h map far steeper than any nucleus's, in the square given. */
function addSteepRamp(maps: TileMaps, square: { x: number; y: number; sizePx: number }) {
  const centreX = square.x + square.sizePx / 2;
  for (let y = square.y; y < square.y + square.sizePx; y += 1) {
    for (let x = square.x; x < square.x + square.sizePx; x += 1) {
      maps.hv[y * maps.widthPx + x] = Math.max(-1, Math.min(1, (x - centreX) / 3));
    }
  }
}

/** Largest difference between two same-sized planes inside a `BORDER_PX` margin. */
function interiorDifference(a: ArrayLike<number>, b: ArrayLike<number>, sizePx: number) {
  let largest = 0;
  for (let y = BORDER_PX; y < sizePx - BORDER_PX; y += 1) {
    for (let x = BORDER_PX; x < sizePx - BORDER_PX; x += 1) {
      largest = Math.max(largest, Math.abs(a[y * sizePx + x]! - b[y * sizePx + x]!));
    }
  }
  return largest;
}

describe('computeMarkerEnergy', () => {
  it('gives the same landscape inside a crop as in the whole map when cropped', async () => {
    const whole = discMaps(
      160,
      TOUCHING.map((d) => ({ ...d, centreX: d.centreX + 30 })),
    );
    addSteepRamp(whole, { x: 130, y: 125, sizePx: 30 });
    const crop = { x: 40, y: 10, sizePx: 100 };

    const ofWhole = await energyOf(whole);
    const ofCrop = await energyOf(cropMaps(whole, crop));

    const wholeCropped = cropPlane(ofWhole.landscape, whole, crop);
    expect(interiorDifference(wholeCropped, ofCrop.landscape, crop.sizePx)).toBeLessThan(
      1e-5,
    );
  });

  it('keeps the markers of a nucleus when a steeper nucleus appears far away', async () => {
    const alone = await energyOf(discMaps(128, TOUCHING));
    const withSmall = await energyOf(
      discMaps(128, [
        ...TOUCHING,
        { centreX: 110, centreY: 110, radiusPx: 5, classIndex: 1 },
      ]),
    );

    const isMarker = (labels: Int32Array) =>
      Array.from(labels.subarray(0, 96 * 128), (l) => l > 0);
    expect(isMarker(withSmall.markers)).toEqual(isMarker(alone.markers));
  });

  it('finds one marker per nucleus when two nuclei touch', async () => {
    const energy = await energyOf(discMaps(96, TOUCHING));

    expect(new Set(energy.markers).size - 1).toBe(TOUCHING.length);
  });
});

/** Parses rows of '#' (set) and '.' (unset) into a mask. */
function maskOf(rows: string[]) {
  const widthPx = rows[0]!.length;
  const mask = Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
  return { mask, widthPx, heightPx: rows.length };
}

function rowsOf(input: { mask: Uint8Array; widthPx: number }): string[] {
  const rows: string[] = [];
  for (let i = 0; i < input.mask.length; i += input.widthPx) {
    const row = input.mask.subarray(i, i + input.widthPx);
    rows.push(Array.from(row, (v) => (v ? '#' : '.')).join(''));
  }
  return rows;
}

async function filled(input: { mask: Uint8Array; widthPx: number; heightPx: number }) {
  const { cv } = await loadOpenCv();
  const scope = new MatScope();
  try {
    fillHoles(cv, scope, input);
  } finally {
    scope.close();
  }
  return input;
}

/** Background pixels 4-connected to the border, by a plain breadth-first search. */
function referenceFill(input: { mask: Uint8Array; widthPx: number; heightPx: number }) {
  const { mask, widthPx, heightPx } = input;
  const outside = new Uint8Array(mask.length);
  const queue: number[] = [];
  for (let i = 0; i < mask.length; i += 1) {
    const x = i % widthPx;
    const y = Math.floor(i / widthPx);
    const isBorder = x === 0 || y === 0 || x === widthPx - 1 || y === heightPx - 1;
    if (isBorder && !mask[i]) {
      outside[i] = 1;
      queue.push(i);
    }
  }
  while (queue.length > 0) {
    const i = queue.shift()!;
    const x = i % widthPx;
    const next = [
      x > 0 ? i - 1 : -1,
      x < widthPx - 1 ? i + 1 : -1,
      i - widthPx,
      i + widthPx,
    ];
    for (const n of next) {
      if (n < 0 || n >= mask.length || mask[n] || outside[n]) continue;
      outside[n] = 1;
      queue.push(n);
    }
  }
  return Uint8Array.from(outside, (o) => (o ? 0 : 1));
}

describe('fillHoles', () => {
  it('fills background enclosed by the mask when no border is reached', async () => {
    const ring = maskOf(['......', '.####.', '.#..#.', '.####.', '......']);

    expect(rowsOf(await filled(ring))).toEqual([
      '......',
      '.####.',
      '.####.',
      '.####.',
      '......',
    ]);
  });

  it('leaves background open to the border when it is only partly enclosed', async () => {
    const cup = maskOf(['.#..#.', '.#..#.', '.####.']);

    expect(rowsOf(await filled(cup))).toEqual(['.#..#.', '.#..#.', '.####.']);
  });

  it('treats diagonal gaps as closed, as 4-connected background does', async () => {
    const diamond = maskOf(['.....', '..#..', '.#.#.', '..#..', '.....']);

    expect(rowsOf(await filled(diamond))).toEqual([
      '.....',
      '..#..',
      '.###.',
      '..#..',
      '.....',
    ]);
  });

  it('matches a breadth-first reference on random masks and frees its Mats', async () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 20; trial += 1) {
      const widthPx = 17 + trial;
      const heightPx = 23;
      const mask = Uint8Array.from({ length: widthPx * heightPx }, () =>
        random() < 0.45 ? 1 : 0,
      );
      const expected = referenceFill({ mask, widthPx, heightPx });

      expect((await filled({ mask, widthPx, heightPx })).mask).toEqual(expected);
    }
    expect(liveMatCount()).toBe(0);
  });
});

describe('slopeScaleOf', () => {
  it('divides by the Sobel response to a unit ramp for every aperture', async () => {
    const { cv } = await loadOpenCv();
    const scope = new MatScope();
    try {
      for (const kernelPx of [3, 11, 21]) {
        const ramp = scope.track(new cv.Mat(40, 40, cv.CV_32FC1));
        ramp.data32F.forEach((_, i) => (ramp.data32F[i] = i % 40));
        const response = scope.track(new cv.Mat());
        cv.Sobel(ramp, response, cv.CV_32FC1, 1, 0, kernelPx);

        const gain = slopeScaleOf({ ...PARAMS, gradientKernelPx: kernelPx }).rampGain;
        expect(response.data32F[20 * 40 + 20]! / gain).toBeCloseTo(1, 6);
      }
    } finally {
      scope.close();
    }
  });

  it('keeps the 0.25 mpp aperture and slope range when the bundle names none', () => {
    expect(slopeScaleOf(PARAMS)).toEqual({
      kernelPx: 21,
      rampGain: 2 ** 39,
      minPerPx: -0.052,
      spanPerPx: 0.063 + 0.052,
    });
  });
});
