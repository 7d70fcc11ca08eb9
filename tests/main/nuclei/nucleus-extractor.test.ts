import { describe, expect, it } from 'vitest';
import { NucleusExtractor } from '../../../src-main/nuclei/nucleus-extractor';
import { liveMatCount, loadOpenCv } from '../../../src-main/nuclei/opencv';
import type { TileMaps } from '../../../src-main/nuclei/tile-maps';
import { discMaps, type Disc } from './synthetic-maps';

const OPTIONS = {
  params: { npThreshold: 0.5, minAreaPx: 10, markerThreshold: 0.4, markerMinAreaPx: 10 },
  npTemperature: 1,
  ntTemperature: 1,
};

const LONE_DISC = { centreX: 32, centreY: 32, radiusPx: 8, classIndex: 2 };

/**
 * Left of the centre, the disc's pixels get background +3 and class 1 +3 (class 2
 * back to 0): the background takes half the mass there, the classes keep the same
 * renormalised shape. Returns the pixels changed.
 */
function favourClassOneOnTheLeft(maps: TileMaps, disc: Disc): number[] {
  const nt = maps.nt!;
  const planePx = maps.widthPx * maps.heightPx;
  const changed: number[] = [];
  for (let i = 0; i < planePx; i += 1) {
    const isInside = nt[disc.classIndex * planePx + i] === 3;
    if (!isInside || (i % maps.widthPx) + 0.5 >= disc.centreX) continue;
    nt[i] = 3;
    nt[planePx + i] = 3;
    nt[disc.classIndex * planePx + i] = 0;
    changed.push(i);
  }
  return changed;
}

const TOUCHING = [
  { centreX: 40, centreY: 40, radiusPx: 10, classIndex: 3 },
  { centreX: 58, centreY: 40, radiusPx: 10, classIndex: 2 },
];

describe('NucleusExtractor', () => {
  it('splits two touching nuclei along the hv boundary', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);

    const { nuclei } = extractor.extract(discMaps(96, TOUCHING));

    expect(nuclei).toHaveLength(2);
    const xs = nuclei.map((n) => n.centroidTilePx.x).sort((a, b) => a - b);
    expect(Math.abs(xs[0]! - 40)).toBeLessThan(1);
    expect(Math.abs(xs[1]! - 58)).toBeLessThan(1);
  });

  it('gives each nucleus the type that wins the vote over its pixels', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);

    const { nuclei } = extractor.extract(discMaps(96, TOUCHING));

    const byX = [...nuclei].sort((a, b) => a.centroidTilePx.x - b.centroidTilePx.x);
    expect(byX.map((n) => n.classIndex)).toEqual([3, 2]);
  });

  it('renormalises the type distribution over the classes without the background', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);

    const { nuclei } = extractor.extract(discMaps(64, [LONE_DISC]));

    // Inside the disc: background -3 (dropped), class 2 +3, classes 1, 3 and 4 at 0.
    const own = Math.exp(3) / (Math.exp(3) + 3);
    const other = 1 / (Math.exp(3) + 3);
    const probabilities = nuclei[0]!.meanClassProbabilities!;
    expect(probabilities).toHaveLength(5);
    expect(probabilities[0]).toBe(0);
    expect(probabilities[1]).toBeCloseTo(other, 10);
    expect(probabilities[2]).toBeCloseTo(own, 10);
    expect(probabilities[3]).toBeCloseTo(other, 10);
    expect(probabilities[4]).toBeCloseTo(other, 10);
    expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 10);
  });

  it('divides the type logits by the nt temperature before the softmax', async () => {
    const extractor = await NucleusExtractor.create({ ...OPTIONS, ntTemperature: 2 });

    const { nuclei } = extractor.extract(discMaps(64, [LONE_DISC]));

    // Logits / 2: class 2 +1.5, classes 1, 3 and 4 at 0.
    const own = Math.exp(1.5) / (Math.exp(1.5) + 3);
    expect(nuclei[0]!.meanClassProbabilities![2]).toBeCloseTo(own, 10);
  });

  it('gives the entropy of the renormalised distribution in nats', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);

    const { nuclei } = extractor.extract(discMaps(64, [LONE_DISC]));

    const own = Math.exp(3) / (Math.exp(3) + 3);
    const other = 1 / (Math.exp(3) + 3);
    const entropy = -own * Math.log(own) - 3 * other * Math.log(other);
    expect(nuclei[0]!.meanNtEntropy).toBeCloseTo(entropy, 10);
  });

  it('averages per-pixel renormalised distributions when the background varies', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);
    const maps = discMaps(64, [LONE_DISC]);
    const leftPixels = favourClassOneOnTheLeft(maps, LONE_DISC);

    const { nuclei, labels } = extractor.extract(maps);

    const inside = labels.reduce((sum, label) => sum + (label === 1 ? 1 : 0), 0);
    const left = leftPixels.filter((i) => labels[i] === 1).length / inside;
    const own = Math.exp(3) / (Math.exp(3) + 3);
    const other = 1 / (Math.exp(3) + 3);
    const probabilities = nuclei[0]!.meanClassProbabilities!;
    expect(left).toBeGreaterThan(0.3);
    expect(probabilities[1]).toBeCloseTo(left * own + (1 - left) * other, 10);
    expect(probabilities[2]).toBeCloseTo(left * other + (1 - left) * own, 10);
    expect(probabilities[3]).toBeCloseTo(other, 10);
  });

  it('reports the area and a closed contour of a lone disc in tile pixels', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);

    const { nuclei } = extractor.extract(
      discMaps(64, [{ centreX: 32, centreY: 30, radiusPx: 8, classIndex: 1 }]),
    );

    expect(nuclei).toHaveLength(1);
    const nucleus = nuclei[0]!;
    expect(nucleus.areaTilePx).toBeGreaterThan(Math.PI * 64 * 0.9);
    expect(nucleus.areaTilePx).toBeLessThan(Math.PI * 64 * 1.1);
    expect(nucleus.centroidTilePx.x).toBeCloseTo(32, 0);
    const xs = nucleus.contourTilePx.map((p) => p.x);
    expect(Math.min(...xs)).toBeCloseTo(24.5, 0);
    expect(Math.max(...xs)).toBeCloseTo(39.5, 0);
  });

  it('reports the mean probability and entropy of confident maps', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);

    const { nuclei } = extractor.extract(
      discMaps(64, [{ centreX: 32, centreY: 32, radiusPx: 8, classIndex: 1 }]),
    );

    // logits -4 / +4: p = sigmoid(8)
    const p = 1 / (1 + Math.exp(-8));
    expect(nuclei[0]!.meanNucleusProbability).toBeCloseTo(p, 5);
    expect(nuclei[0]!.meanNpEntropy).toBeCloseTo(
      -p * Math.log(p) - (1 - p) * Math.log(1 - p),
      5,
    );
  });

  it('drops objects smaller than the minimum area', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);

    const { nuclei } = extractor.extract(
      discMaps(64, [{ centreX: 32, centreY: 32, radiusPx: 1.5, classIndex: 1 }]),
    );

    expect(nuclei).toHaveLength(0);
  });

  it('frees every Mat and keeps WebAssembly memory flat over 200 tiles', async () => {
    const extractor = await NucleusExtractor.create(OPTIONS);
    const cv = (await loadOpenCv()).cv as unknown as { HEAPU8: Uint8Array };
    const maps = discMaps(256, [
      ...TOUCHING,
      { centreX: 150, centreY: 150, radiusPx: 12, classIndex: 1 },
      { centreX: 200, centreY: 60, radiusPx: 9, classIndex: 4 },
    ]);
    for (let i = 0; i < 20; i += 1) extractor.extract(maps);
    const heapAfterWarmUp = cv.HEAPU8.byteLength;

    for (let i = 0; i < 200; i += 1) extractor.extract(maps);

    expect(liveMatCount()).toBe(0);
    expect(cv.HEAPU8.byteLength).toBe(heapAfterWarmUp);
  });
});
