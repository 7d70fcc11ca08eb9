import { afterEach, describe, expect, it } from 'vitest';
import { StageClock } from '../../../src-main/analysis/stage-clock';
import {
  createTileFinisher,
  type TileFinisher,
} from '../../../src-main/analysis/tile-finishing';
import type { InferredTile } from '../../../src-main/analysis/tile-processing';
import { penMark } from '../../../src-main/uncertainty/evaluation/synthetic-inputs';
import { discMaps } from '../nuclei/synthetic-maps';
import { makeContext } from '../uncertainty/triage-builders';

const SIZE_PX = 64;
const POSTPROCESSOR = {
  params: { npThreshold: 0.5, minAreaPx: 10, markerThreshold: 0.4, markerMinAreaPx: 10 },
  temperatures: { np: 1.5, nt: 1.2 },
};

/** One inferred tile of discs (some touching, some past the core), tile index `index`. */
function inferredTile(index: number): InferredTile {
  const maps = discMaps(SIZE_PX, [
    { centreX: 20, centreY: 20, radiusPx: 7, classIndex: 1 },
    { centreX: 32, centreY: 21, radiusPx: 6, classIndex: 3 },
    { centreX: 44 + index, centreY: 44, radiusPx: 8, classIndex: 2 },
    { centreX: 60, centreY: 10, radiusPx: 5, classIndex: 4 },
  ]);
  return {
    tile: {
      tileIndex: index,
      baseRect: { x: 0, y: 0, width: 128, height: 128 },
      coreBaseRect: { x: 16, y: 16, width: 96, height: 96 },
      tissueFraction: 0.9,
    },
    model: {
      rgb: penMark({ ...tissueRgb(), widthPx: SIZE_PX, heightPx: SIZE_PX }, index),
      placement: { originBaseX: 0, originBaseY: 0, basePerTilePx: 2 },
    },
    maps,
    embedding: Float32Array.from([1 + index, 2]),
  };
}

function tissueRgb(): { data: Uint8Array; widthPx: number; heightPx: number } {
  const data = new Uint8Array(SIZE_PX * SIZE_PX * 3);
  for (let i = 0; i < data.length; i += 3) data.set([190, 90 + (i % 40), 170], i);
  return { data, widthPx: SIZE_PX, heightPx: SIZE_PX };
}

describe('createTileFinisher', () => {
  const open: TileFinisher[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((finisher) => finisher.close()));
  });

  async function finisher(workerCount: number, signal = new AbortController().signal) {
    const clock = new StageClock();
    const created = await createTileFinisher({
      postprocessor: POSTPROCESSOR,
      triage: makeContext(),
      clock,
      workerCount,
      signal,
    });
    open.push(created);
    return { finisher: created, clock };
  }

  it('finishes tiles on worker threads exactly as on the calling thread', async () => {
    const local = await finisher(0);
    const pooled = await finisher(2);
    const tiles = [0, 1, 2, 3, 4].map(inferredTile);

    const expected = await Promise.all(tiles.map((tile) => local.finisher.finish(tile)));
    const actual = await Promise.all(tiles.map((tile) => pooled.finisher.finish(tile)));

    expect(pooled.finisher.workerCount).toBe(2);
    expect(expected[0]!.result.nuclei.length).toBeGreaterThan(1);
    expect(expected[0]!.uncertainty?.ntEntropyPixels).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('adds the time spent in the worker threads to the stage clock', async () => {
    const pooled = await finisher(1);

    await pooled.finisher.finish(inferredTile(0));

    const totals = pooled.clock.totals();
    expect(totals.postprocess).toBeGreaterThan(0);
    expect(totals.assess).toBeGreaterThan(0);
  });

  it('leaves the caller its maps when it sends a tile to a thread', async () => {
    const pooled = await finisher(1);
    const tile = inferredTile(0);

    await pooled.finisher.finish(tile);

    expect(tile.maps.np.length).toBe(2 * SIZE_PX * SIZE_PX);
    expect(tile.model.rgb.data.length).toBe(3 * SIZE_PX * SIZE_PX);
  });

  it('rejects the tiles not yet finished when the job is aborted', async () => {
    const controller = new AbortController();
    const pooled = await finisher(1, controller.signal);
    const pending = [0, 1, 2, 3].map((index) =>
      pooled.finisher.finish(inferredTile(index)),
    );

    controller.abort();

    const settled = await Promise.allSettled(pending);
    expect(settled.some((outcome) => outcome.status === 'rejected')).toBe(true);
  });
});
