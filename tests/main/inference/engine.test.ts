import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../../src-main/inference/bundle-loader';
import { NucleiEngine } from '../../../src-main/inference/engine';
import { BatchBuilder } from '../../../src-main/inference/preprocess';
import { editManifest, makeTestBundle } from '../../fixtures/test-bundles';

const TILE = 64;
type Graph = { outputs: { name: string; shape: (number | string)[] }[] };

function uniformTile(level: number): {
  data: Uint8Array;
  widthPx: number;
  heightPx: number;
  channels: 3;
} {
  return {
    data: new Uint8Array(TILE * TILE * 3).fill(level),
    widthPx: TILE,
    heightPx: TILE,
    channels: 3,
  };
}

async function engineFor(
  stages: 'single' | 'two-stage',
  edit?: (m: Record<string, unknown>) => void,
) {
  const folder = await makeTestBundle({ stages, tileSizePx: TILE });
  if (edit) await editManifest(folder, edit);
  return NucleiEngine.create(await loadBundle(folder), { intraOpNumThreads: 1 });
}

function batchOf(engine: NucleiEngine, levels: number[]): Float32Array {
  const builder = new BatchBuilder(
    engine.manifest.input.normalisation,
    TILE,
    levels.length,
  );
  levels.forEach((level, i) => builder.writeTile(uniformTile(level), i));
  return builder.view(levels.length);
}

describe('NucleiEngine', () => {
  it('returns the golden nucleus logits of the fixed-weight model within 1e-5', async () => {
    const engine = await engineFor('single');

    const maps = await engine.run(batchOf(engine, [64]), 1);

    // x = (64/255 - 0.5) / 0.25; darkness = -x; logit = 3 * (darkness - 0.4)
    const expected = 3 * (-(64 / 255 - 0.5) / 0.25 - 0.4);
    expect(maps.np[TILE * TILE + 5]).toBeCloseTo(expected, 5);
    expect(maps.np[5]).toBeCloseTo(-expected, 5);
    await engine.release();
  });

  it('returns maps of the declared shapes for every tile of a batch', async () => {
    const engine = await engineFor('single');

    const maps = await engine.run(batchOf(engine, [40, 200, 120]), 3);

    expect([maps.batchSize, maps.heightPx, maps.widthPx, maps.ntChannels]).toEqual([
      3,
      TILE,
      TILE,
      5,
    ]);
    expect(maps.np.length).toBe(3 * 2 * TILE * TILE);
    expect(maps.hv.length).toBe(3 * 2 * TILE * TILE);
    expect(maps.embedding.length).toBe(3 * maps.embeddingDim);
    await engine.release();
  });

  it('runs a two-stage bundle through backbone then heads, with organ logits', async () => {
    const engine = await engineFor('two-stage');

    const maps = await engine.run(batchOf(engine, [64, 220]), 2);

    const expected = 3 * (-(64 / 255 - 0.5) / 0.25 - 0.4);
    expect(maps.np[TILE * TILE + 100]).toBeCloseTo(expected, 5);
    expect(maps.organCount).toBe(3);
    expect(maps.embeddingDim).toBe(8);
    await engine.release();
  });

  it('gives the same maps with two threads that may not spin as with one', async () => {
    const folder = await makeTestBundle({ stages: 'single', tileSizePx: TILE });
    const bundle = await loadBundle(folder);
    const spinning = await NucleiEngine.create(bundle, { intraOpNumThreads: 1 });
    const waiting = await NucleiEngine.create(bundle, {
      intraOpNumThreads: 2,
      canThreadsSpin: false,
    });

    const expected = await spinning.run(batchOf(spinning, [30, 90]), 2);
    const actual = await waiting.run(batchOf(waiting, [30, 90]), 2);

    expect(Array.from(actual.np)).toEqual(Array.from(expected.np));
    await Promise.all([spinning.release(), waiting.release()]);
  });

  it('reports BUNDLE_SHAPE_MISMATCH when a static output dim differs from the graph', async () => {
    const creating = engineFor('single', (manifest) => {
      const np = (manifest.graphs as Graph[])[0]!.outputs.find((o) => o.name === 'np')!;
      np.shape = ['batch', 2, TILE / 2, TILE / 2];
    });

    await expect(creating).rejects.toMatchObject({ code: 'BUNDLE_SHAPE_MISMATCH' });
  });

  it('reports BUNDLE_SHAPE_MISMATCH on the first run when a symbolic dim turns out wrong', async () => {
    const engine = await engineFor('two-stage', (manifest) => {
      const hv = (manifest.graphs as Graph[])[1]!.outputs.find((o) => o.name === 'hv')!;
      hv.shape = ['batch', 2, TILE * 2, TILE * 2];
    });

    await expect(engine.run(batchOf(engine, [64]), 1)).rejects.toMatchObject({
      code: 'BUNDLE_SHAPE_MISMATCH',
      message: expect.stringMatching(/"hv"/),
    });
    await engine.release();
  });

  it('reports BUNDLE_SHAPE_MISMATCH when a declared output name is absent from the graph', async () => {
    const creating = engineFor('single', (manifest) => {
      (manifest.graphs as Graph[])[0]!.outputs.find((o) => o.name === 'embedding')!.name =
        'pooled';
      (manifest.outputs as Record<string, { name: string }>).embedding!.name = 'pooled';
    });

    await expect(creating).rejects.toMatchObject({ code: 'BUNDLE_SHAPE_MISMATCH' });
  });

  it('rejects a batch buffer shorter than the batch size needs', async () => {
    const engine = await engineFor('single');

    await expect(engine.run(new Float32Array(10), 1)).rejects.toMatchObject({
      code: 'INFERENCE_FAILED',
    });
    await engine.release();
  });

  it('rejects with an AbortError when the signal is already aborted', async () => {
    const engine = await engineFor('single');
    const controller = new AbortController();
    controller.abort();

    await expect(
      engine.run(batchOf(engine, [64]), 1, controller.signal),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    await engine.release();
  });
});
