import { describe, expect, it } from 'vitest';
import {
  areaDownsample,
  resampleLabelsNearest,
  toModelGrid,
} from '../../../src-main/evaluation/image-resampling';

const grey = (widthPx: number, heightPx: number, values: number[]) => ({
  widthPx,
  heightPx,
  data: Uint8Array.from(values.flatMap((v) => [v, v, v])),
});

describe('areaDownsample', () => {
  it('averages each 2x2 block when halving an image', () => {
    const image = grey(4, 2, [0, 100, 200, 40, 100, 200, 0, 40]);

    const half = areaDownsample(image, 2, 1);

    // Blocks: (0 + 100 + 100 + 200) / 4 = 100 and (200 + 40 + 0 + 40) / 4 = 70.
    expect(Array.from(half.data)).toEqual([100, 100, 100, 70, 70, 70]);
  });

  it('weights partly covered pixels by the area covered when the factor is fractional', () => {
    const image = grey(3, 1, [0, 90, 180]);

    const two = areaDownsample(image, 2, 1);

    // Output pixels cover [0, 1.5) and [1.5, 3): (0 + 45) / 1.5 = 30, (45 + 180) / 1.5 = 150.
    expect(Array.from(two.data)).toEqual([30, 30, 30, 150, 150, 150]);
  });

  it('throws when asked to enlarge', () => {
    expect(() => areaDownsample(grey(2, 2, [0, 0, 0, 0]), 3, 2)).toThrow(RangeError);
  });
});

describe('resampleLabelsNearest', () => {
  it('takes the label under each output pixel centre when shrinking by 2', () => {
    const labels = [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 0, 0, 3, 3, 0, 0];

    const out = resampleLabelsNearest(
      labels,
      { widthPx: 4, heightPx: 4 },
      { widthPx: 2, heightPx: 2 },
    );

    expect(Array.from(out)).toEqual([1, 2, 3, 0]);
  });
});

describe('toModelGrid', () => {
  it('doubles the image when it is at twice the target mpp', async () => {
    const image = grey(
      10,
      6,
      Array.from({ length: 60 }, (_, i) => i),
    );

    const model = await toModelGrid(image, {
      imageMpp: 0.5,
      targetMpp: 0.25,
      simulatedMpp: null,
    });

    expect(model).toMatchObject({ widthPx: 20, heightPx: 12 });
  });

  it('keeps the native grid but loses detail when simulating a coarser scan', async () => {
    const stripes = grey(
      8,
      8,
      Array.from({ length: 64 }, (_, i) => (i % 2 ? 255 : 0)),
    );

    const model = await toModelGrid(stripes, {
      imageMpp: 0.25,
      targetMpp: 0.25,
      simulatedMpp: 0.5,
    });

    // One-pixel stripes average to mid-grey at half the resolution.
    expect(model).toMatchObject({ widthPx: 8, heightPx: 8 });
    expect(Math.max(...model.data) - Math.min(...model.data)).toBeLessThan(40);
  });
});
