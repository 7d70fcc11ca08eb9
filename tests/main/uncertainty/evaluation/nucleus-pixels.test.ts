import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src-shared/seeded-random';
import {
  fitNucleusTemperature,
  mergeNucleusPixels,
  nucleusBrier,
  nucleusDistributions,
  nucleusNll,
  type NucleusPixels,
} from '../../../../src-main/uncertainty/evaluation/nucleus-pixels';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Nuclei of 5-20 pixels over 3 classes whose true class is drawn at `temperature`. */
function sampledNuclei(count: number, temperature: number): NucleusPixels {
  const random = seededRandom(7);
  const perPixel: number[][] = [];
  const nucleusOfPixel: number[] = [];
  for (let n = 0; n < count; n += 1) {
    const centre = [0, 1, 2].map(() => 3 * gaussian(random));
    const areaPx = 5 + Math.floor(random() * 16);
    for (let i = 0; i < areaPx; i += 1) {
      perPixel.push(centre.map((c) => c + 1.5 * gaussian(random)));
      nucleusOfPixel.push(n);
    }
  }
  const pixels: NucleusPixels = {
    classCount: 3,
    classLogits: Float32Array.from([0, 1, 2].flatMap((c) => perPixel.map((l) => l[c]!))),
    nucleusOfPixel: Int32Array.from(nucleusOfPixel),
    labels: new Array<number>(count).fill(0),
  };
  const { probabilities } = nucleusDistributions(pixels, temperature);
  pixels.labels = probabilities.map(([p0 = 0, p1 = 0]) => {
    const u = random();
    return u < p0 ? 0 : u < p0 + p1 ? 1 : 2;
  });
  return pixels;
}

describe('fitNucleusTemperature', () => {
  it('recovers the temperature the true classes were drawn with', () => {
    for (const temperature of [0.6, 2]) {
      const fitted = fitNucleusTemperature(sampledNuclei(10000, temperature));
      expect(Math.abs(fitted / temperature - 1)).toBeLessThan(0.08);
    }
  });

  it('finds a minimum of the nucleus Brier score', () => {
    const pixels = sampledNuclei(400, 1.5);
    const fitted = fitNucleusTemperature(pixels);
    for (const factor of [0.9, 1.1]) {
      expect(nucleusBrier(pixels, fitted)).toBeLessThan(
        nucleusBrier(pixels, fitted * factor),
      );
    }
  });

  it('is not driven to its bound by a class the head never predicts, as NLL would be', () => {
    const pixels = sampledNuclei(2000, 1);
    const pixelCount = pixels.nucleusOfPixel.length;
    pixels.nucleusOfPixel.forEach((n, i) => {
      if (n % 10 === 0) pixels.classLogits[2 * pixelCount + i] = -25;
    });
    pixels.labels = pixels.labels.map((label, n) => (n % 10 === 0 ? 2 : label));
    expect(nucleusNll(pixels, 20)).toBeLessThan(nucleusNll(pixels, 2));
    expect(fitNucleusTemperature(pixels)).toBeLessThan(2);
  });

  it('refuses to fit on zero nuclei', () => {
    const empty: NucleusPixels = {
      classCount: 3,
      classLogits: new Float32Array(),
      nucleusOfPixel: new Int32Array(),
      labels: [],
    };
    expect(() => fitNucleusTemperature(empty)).toThrow(/zero typed nuclei/);
  });
});

describe('mergeNucleusPixels', () => {
  it('keeps the nuclei of each image apart', () => {
    const one = sampledNuclei(5, 1);
    const merged = mergeNucleusPixels([one, one]);
    const single = nucleusDistributions(one, 1.3).probabilities;
    const both = nucleusDistributions(merged, 1.3);
    expect(both.labels).toEqual([...one.labels, ...one.labels]);
    both.probabilities.forEach((row, n) =>
      row.forEach((p, c) => expect(p).toBeCloseTo(single[n % 5]![c]!, 6)),
    );
  });
});
