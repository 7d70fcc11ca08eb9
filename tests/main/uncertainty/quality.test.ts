import { beforeAll, expect, it } from 'vitest';
import { COLD_START_PROFILE } from '../../../src-shared/site-profile';
import { readRgbCrop } from '../../../src-main/uncertainty/evaluation/image-tiles';
import {
  blankGlass,
  gaussianBlur,
  greyscale,
  ihcLike,
  penMark,
} from '../../../src-main/uncertainty/evaluation/synthetic-inputs';
import {
  measureTileColour,
  qualityFlagsFor,
} from '../../../src-main/uncertainty/quality';
import type { RgbTile } from '../../../src-main/uncertainty/types';
import { describeWithData, sharedDataPath } from '../../support/shared-data';

const TISSUE_TILE = sharedDataPath('monuseg', 'test', 'TCGA-2Z-A9J9-01A-01-TS1.png');
const CMU_LIKE_TILE = sharedDataPath('consep', 'train', 'train_12.png');

function flags(
  rgbTile: RgbTile | null,
  over: { tissueFraction?: number; slideMppX?: number } = {},
) {
  return qualityFlagsFor({
    rgbTile,
    tissueFraction: over.tissueFraction ?? 0.9,
    slideMppX: over.slideMppX ?? 0.25,
    targetMpp: 0.25,
    limits: COLD_START_PROFILE.quality,
  }).flags;
}

describeWithData('qualityFlagsFor on real H&E tiles', () => {
  let tissue: RgbTile;
  let vividTissue: RgbTile;
  beforeAll(async () => {
    tissue = await readRgbCrop(TISSUE_TILE, { x: 300, y: 300, width: 256, height: 256 });
    vividTissue = await readRgbCrop(CMU_LIKE_TILE, {
      x: 0,
      y: 0,
      width: 256,
      height: 256,
    });
  });

  it('raises no flag on an in-focus H&E tile', () => {
    expect(flags(tissue)).toEqual([]);
  });

  it('raises no flag on H&E with strongly blue haematoxylin', () => {
    expect(flags(vividTissue)).toEqual([]);
  });

  it('flags blur on the same tile after a Gaussian blur of sigma 3 px', () => {
    expect(flags(gaussianBlur(tissue, 3))).toContain('blur');
  });

  it('flags pen ink when marker strokes cross the tile', () => {
    expect(flags(penMark(tissue, 7))).toContain('pen-ink');
  });

  it('flags the stain when the tile is greyscale', () => {
    expect(flags(greyscale(tissue))).toContain('stain-out-of-range');
  });

  it('flags the stain when the tile is recoloured like DAB immunohistochemistry', () => {
    expect(flags(ihcLike(tissue))).toContain('stain-out-of-range');
  });

  it('flags an mpp far coarser than the model needs', () => {
    expect(flags(tissue, { slideMppX: 1 })).toContain('mpp-out-of-range');
  });
});

it('flags no-tissue and skips the colour checks when the tissue fraction is tiny', () => {
  expect(flags(blankGlass(64, 1), { tissueFraction: 0.01 })).toEqual(['no-tissue']);
});

it('flags a tile that could not be read as unreadable', () => {
  expect(flags(null)).toEqual(['unreadable']);
});

/** A 16 x 16 tile of one colour, then `others` pixels of a second colour. */
function twoColourTile(
  base: [number, number, number],
  other: [number, number, number],
  others: number,
): RgbTile {
  const data = new Uint8Array(16 * 16 * 3);
  for (let i = 0; i < 256; i += 1) data.set(i < others ? other : base, i * 3);
  return { widthPx: 16, heightPx: 16, data };
}

const EOSIN_PINK: [number, number, number] = [230, 150, 200];

it('counts red-brown tissue as brown and pink tissue as not', () => {
  const stats = measureTileColour(twoColourTile(EOSIN_PINK, [150, 90, 40], 64));

  expect(stats.tissuePixelFraction).toBe(1);
  expect(stats.brownFraction).toBe(0.25);
  expect(stats.penInkFraction).toBe(0);
});

it('counts green-cyan and near-black pixels as pen ink', () => {
  const green = measureTileColour(twoColourTile(EOSIN_PINK, [40, 160, 120], 32));
  const black = measureTileColour(twoColourTile(EOSIN_PINK, [10, 12, 20], 16));

  expect(green.penInkFraction).toBe(0.125);
  expect(black.penInkFraction).toBe(0.0625);
});

it('gives hue-free statistics to grey pixels', () => {
  const stats = measureTileColour(twoColourTile([120, 120, 120], [120, 120, 120], 0));

  expect(stats.meanTissueSaturation).toBe(0);
  expect(stats.brownFraction).toBe(0);
  expect(stats.penInkFraction).toBe(0);
});
