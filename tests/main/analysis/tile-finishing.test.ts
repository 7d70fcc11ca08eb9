import { afterEach, describe, expect, it } from 'vitest';
import { StageClock } from '../../../src-main/analysis/stage-clock';
import {
  createTileFinisher,
  type TileFinisher,
} from '../../../src-main/analysis/tile-finishing';
import type { InferredBatch } from '../../../src-main/analysis/tile-processing';
import { penMark } from '../../../src-main/uncertainty/evaluation/synthetic-inputs';
import { discMaps } from '../nuclei/synthetic-maps';
import { makeContext } from '../uncertainty/triage-builders';

const SIZE_PX = 64;
const POSTPROCESSOR = {
  params: { npThreshold: 0.5, minAreaPx: 10, markerThreshold: 0.4, markerMinAreaPx: 10 },
  temperatures: { np: 1.5, nt: 1.2 },
};

const TILE_COUNT = 3;

/** A batch of tiles of discs (some touching, some past the core), as inference gives it. */
function inferredBatch(): InferredBatch {
  const tiles = Array.from({ length: TILE_COUNT }, (_, index) =>
    discMaps(SIZE_PX, [
      { centreX: 20, centreY: 20, radiusPx: 7, classIndex: 1 },
      { centreX: 32, centreY: 21, radiusPx: 6, classIndex: 3 },
      { centreX: 44 + index, centreY: 44, radiusPx: 8, classIndex: 2 },
      { centreX: 60, centreY: 10, radiusPx: 5, classIndex: 4 },
    ]),
  );
  const stack = (planes: Float32Array[]) => {
    const all = new Float32Array(planes.length * planes[0]!.length);
    planes.forEach((plane, i) => all.set(plane, i * plane.length));
    return all;
  };
  return {
    tiles: tiles.map((_, index) => ({
      tile: {
        tileIndex: index,
        baseRect: { x: 0, y: 0, width: 128, height: 128 },
        coreBaseRect: { x: 16, y: 16, width: 96, height: 96 },
        tissueFraction: 0.9,
      },
      model: {
        rgb: penMark(tissueRgb(), index),
        placement: { originBaseX: 0, originBaseY: 0, basePerTilePx: 2 },
      },
    })),
    maps: {
      batchSize: TILE_COUNT,
      heightPx: SIZE_PX,
      widthPx: SIZE_PX,
      np: stack(tiles.map((maps) => maps.np)),
      hv: stack(tiles.map((maps) => maps.hv)),
      nt: stack(tiles.map((maps) => maps.nt!)),
      ntChannels: 5,
      embedding: Float32Array.from([1, 2, 3, 2, 5, 2]),
      embeddingDim: 2,
      organ: null,
      organCount: 0,
    },
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

  it('finishes a batch on a worker thread exactly as on the calling thread', async () => {
    const local = await finisher(0);
    const pooled = await finisher(2);

    const expected = await local.finisher.finishBatch(inferredBatch());
    const actual = await pooled.finisher.finishBatch(inferredBatch());

    expect(pooled.finisher.workerCount).toBe(2);
    expect(expected).toHaveLength(TILE_COUNT);
    expect(expected[0]!.result.nuclei.length).toBeGreaterThan(1);
    expect(expected[2]!.uncertainty?.ntEntropyPixels).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('adds the time spent in the worker threads to the stage clock', async () => {
    const pooled = await finisher(1);

    await pooled.finisher.finishBatch(inferredBatch());

    const totals = pooled.clock.totals();
    expect(totals.postprocess).toBeGreaterThan(0);
    expect(totals.assess).toBeGreaterThan(0);
  });

  it('rejects the batches not yet finished when the job is aborted', async () => {
    const controller = new AbortController();
    const pooled = await finisher(1, controller.signal);
    const pending = [0, 1, 2].map(() => pooled.finisher.finishBatch(inferredBatch()));

    controller.abort();

    const settled = await Promise.allSettled(pending);
    expect(settled.some((outcome) => outcome.status === 'rejected')).toBe(true);
  });
});
