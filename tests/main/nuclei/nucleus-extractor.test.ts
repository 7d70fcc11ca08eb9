import { describe, expect, it } from 'vitest';
import { NucleusExtractor } from '../../../src-main/nuclei/nucleus-extractor';
import { liveMatCount, loadOpenCv } from '../../../src-main/nuclei/opencv';
import { discMaps } from './synthetic-maps';

const OPTIONS = {
  params: { npThreshold: 0.5, minAreaPx: 10, markerThreshold: 0.4, markerMinAreaPx: 10 },
  npTemperature: 1,
  ntTemperature: 1,
};

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
    // logits: background -3, own class +3, other three 0
    const expected = Math.exp(3) / (Math.exp(3) + Math.exp(-3) + 3);
    expect(byX[0]!.meanClassProbabilities![3]).toBeCloseTo(expected, 5);
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
