import { describe, expect, it } from 'vitest';
import { computeMarkerEnergy } from '../../../src-main/nuclei/marker-energy';
import { loadOpenCv } from '../../../src-main/nuclei/opencv';
import type { TileMaps } from '../../../src-main/nuclei/tile-maps';
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

async function energyOf(maps: TileMaps) {
  const { cv } = await loadOpenCv();
  const planePx = maps.widthPx * maps.heightPx;
  const probability = new Float32Array(planePx);
  for (let i = 0; i < planePx; i += 1) {
    probability[i] = 1 / (1 + Math.exp(maps.np[i]! - maps.np[planePx + i]!));
  }
  return computeMarkerEnergy(
    cv,
    { probability, hv: maps.hv, widthPx: maps.widthPx, heightPx: maps.heightPx },
    PARAMS,
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
