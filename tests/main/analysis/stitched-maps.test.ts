import { describe, expect, it } from 'vitest';
import {
  createMapCanvas,
  pasteTileCore,
  stitchTileMaps,
  type StitchTile,
} from '../../../src-main/analysis/stitched-maps';
import type { NucleiEngine, NucleiMaps } from '../../../src-main/inference/engine';
import { BatchBuilder } from '../../../src-main/inference/preprocess';
import type { TileMaps } from '../../../src-main/nuclei/tile-maps';

/** 4x2 tile maps whose every plane holds `offset + column` at each pixel. */
function columnMaps(offset: number): TileMaps {
  const plane = Array.from({ length: 8 }, (_, i) => offset + (i % 4));
  return {
    widthPx: 4,
    heightPx: 2,
    np: Float32Array.from([...plane, ...plane]),
    hv: Float32Array.from([...plane, ...plane]),
    nt: null,
    ntChannels: 0,
  };
}

const LEFT: StitchTile = {
  baseRect: { x: 0, y: 0, width: 4, height: 2 },
  coreBaseRect: { x: 0, y: 0, width: 3, height: 2 },
};
const RIGHT: StitchTile = {
  baseRect: { x: 2, y: 0, width: 4, height: 2 },
  coreBaseRect: { x: 3, y: 0, width: 3, height: 2 },
};

describe('pasteTileCore', () => {
  it('gives each canvas pixel the maps of the tile whose core holds it when tiles overlap', () => {
    const canvas = createMapCanvas({
      regionBase: { x: 0, y: 0, width: 6, height: 2 },
      basePerPx: 1,
      ntChannels: 0,
    });

    pasteTileCore(canvas, { tile: LEFT, maps: columnMaps(0), basePerTilePx: 1 });
    pasteTileCore(canvas, { tile: RIGHT, maps: columnMaps(10), basePerTilePx: 1 });

    // Columns 0-2 from the left tile (its columns 0-2), 3-5 from the right (its 1-3).
    const row = [0, 1, 2, 11, 12, 13];
    expect(Array.from(canvas.maps.np)).toEqual([...row, ...row, ...row, ...row]);
    expect(Array.from(canvas.maps.hv.subarray(6, 12))).toEqual(row);
  });
});

describe('stitchTileMaps', () => {
  it('runs the tiles in batches as large as the builder holds when there are more tiles', async () => {
    const batchSizes: number[] = [];
    const engine = {
      run: async (_batch: Float32Array, batchSize: number): Promise<NucleiMaps> => {
        batchSizes.push(batchSize);
        const one = columnMaps(0);
        const repeat = (data: Float32Array) =>
          Float32Array.from(
            { length: batchSize * data.length },
            (_, i) => data[i % data.length]!,
          );
        return {
          batchSize,
          heightPx: 2,
          widthPx: 4,
          np: repeat(one.np),
          hv: repeat(one.hv),
          nt: null,
          ntChannels: 0,
          embedding: new Float32Array(batchSize),
          embeddingDim: 1,
          organ: null,
          organCount: 0,
        };
      },
    } as unknown as NucleiEngine;
    const canvas = createMapCanvas({
      regionBase: { x: 0, y: 0, width: 6, height: 2 },
      basePerPx: 1,
      ntChannels: 0,
    });
    const white = { data: new Uint8Array(4 * 4 * 3).fill(255), widthPx: 4, heightPx: 4 };

    await stitchTileMaps(canvas, {
      engine,
      builder: new BatchBuilder({ mean: [0, 0, 0], std: [1, 1, 1] }, 4, 2),
      tiles: [LEFT, RIGHT, RIGHT],
      readTile: async () => ({ rgb: white, basePerTilePx: 1 }),
    });

    expect(batchSizes).toEqual([2, 1]);
  });
});
