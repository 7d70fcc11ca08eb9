import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '../../../src-main/inference/preprocess';

const NORMALISATION = {
  mean: [0.5, 0.4, 0.3] as [number, number, number],
  std: [0.2, 0.25, 0.5] as [number, number, number],
};

describe('BatchBuilder', () => {
  it('writes each channel as its own normalised plane in RGB order', () => {
    const builder = new BatchBuilder(NORMALISATION, 2, 1);
    const data = Uint8Array.from([255, 0, 51, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

    builder.writeTile({ data, widthPx: 2, heightPx: 2, channels: 3 }, 0);

    const planes = builder.view(1);
    expect(planes[0]).toBeCloseTo((1 - 0.5) / 0.2, 6);
    expect(planes[4]).toBeCloseTo((0 - 0.4) / 0.25, 6);
    expect(planes[8]).toBeCloseTo((0.2 - 0.3) / 0.5, 6);
    expect(planes[1]).toBeCloseTo(-0.5 / 0.2, 6);
  });

  it('ignores the alpha channel of RGBA tiles', () => {
    const builder = new BatchBuilder(NORMALISATION, 1, 1);

    builder.writeTile(
      { data: Uint8Array.from([255, 255, 255, 7]), widthPx: 1, heightPx: 1, channels: 4 },
      0,
    );

    expect([...builder.view(1)].map((v) => Number(v.toFixed(4)))).toEqual([
      2.5, 2.4, 1.4,
    ]);
  });

  it('places the second tile of a batch after the three planes of the first', () => {
    const builder = new BatchBuilder(NORMALISATION, 1, 2);

    builder.writeTile(
      { data: Uint8Array.from([0, 0, 0]), widthPx: 1, heightPx: 1, channels: 3 },
      0,
    );
    builder.writeTile(
      { data: Uint8Array.from([255, 0, 0]), widthPx: 1, heightPx: 1, channels: 3 },
      1,
    );

    expect(builder.view(2)[3]).toBeCloseTo(2.5, 6);
  });

  it('rejects a tile whose size is not the bundle tile size', () => {
    const builder = new BatchBuilder(NORMALISATION, 4, 1);

    expect(() =>
      builder.writeTile(
        { data: new Uint8Array(12), widthPx: 2, heightPx: 2, channels: 3 },
        0,
      ),
    ).toThrow(/4x4/);
  });
});
