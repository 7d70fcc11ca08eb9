import { describe, expect, it } from 'vitest';
import type { BundleGraph } from '../../../src-shared/bundle-manifest';
import { loadBundle } from '../../../src-main/inference/bundle-loader';
import { NucleiEngine } from '../../../src-main/inference/engine';
import { BatchBuilder } from '../../../src-main/inference/preprocess';
import { makeTestBundle } from '../../fixtures/test-bundles';

const TILE = 64;

async function engineFor(
  stages: 'single' | 'two-stage',
  runs: [BundleGraph['role'], number][] = [],
): Promise<NucleiEngine> {
  const folder = await makeTestBundle({ stages, tileSizePx: TILE });
  return NucleiEngine.create(await loadBundle(folder), {
    intraOpNumThreads: 1,
    onGraphRun: (role, batchSize) => runs.push([role, batchSize]),
  });
}

function batchOf(engine: NucleiEngine, levels: number[]): Float32Array {
  const builder = new BatchBuilder(
    engine.manifest.input.normalisation,
    TILE,
    levels.length,
  );
  levels.forEach((level, i) =>
    builder.writeTile(
      {
        data: new Uint8Array(TILE * TILE * 3).map((_, k) => (level + k) % 256),
        widthPx: TILE,
        heightPx: TILE,
        channels: 3,
      },
      i,
    ),
  );
  return builder.view(levels.length);
}

describe('NucleiEngine stages', () => {
  it('gives the maps of a whole run when the backbone and heads run one at a time', async () => {
    const engine = await engineFor('two-stage');
    const batch = batchOf(engine, [40, 200]);

    const whole = await engine.run(batch, 2);
    const staged = await engine.runHeads(await engine.runBackbone(batch, 2));

    expect(Array.from(staged.np)).toEqual(Array.from(whole.np));
    expect(Array.from(staged.nt!)).toEqual(Array.from(whole.nt!));
    expect(Array.from(staged.embedding)).toEqual(Array.from(whole.embedding));
    await engine.release();
  });

  it('returns tokens of the declared shape when the backbone runs alone', async () => {
    const engine = await engineFor('two-stage');

    const tokens = await engine.runBackbone(batchOf(engine, [90, 10, 160]), 3);

    expect([tokens.batchSize, tokens.tokenCount, tokens.tokenDim]).toEqual([3, 16, 8]);
    expect(tokens.values.length).toBe(3 * 16 * 8);
    await engine.release();
  });

  it('reports each graph run with its batch size to the run listener', async () => {
    const runs: [BundleGraph['role'], number][] = [];
    const engine = await engineFor('two-stage', runs);
    const batch = batchOf(engine, [40, 200, 120]);

    await engine.run(batch, 3);
    await engine.runBackbone(batch, 1);

    expect(runs).toEqual([
      ['backbone', 3],
      ['heads', 3],
      ['backbone', 1],
    ]);
    await engine.release();
  });

  it('refuses to run heads on tokens when the bundle is single-graph', async () => {
    const engine = await engineFor('single');
    const tokens = {
      batchSize: 1,
      tokenCount: 16,
      tokenDim: 8,
      values: new Float32Array(128),
    };

    expect(engine.canRunHeadsOnTokens).toBe(false);
    await expect(engine.runHeads(tokens)).rejects.toMatchObject({
      code: 'INFERENCE_FAILED',
    });
    await engine.release();
  });

  it('refuses tokens of another shape than the heads declare', async () => {
    const engine = await engineFor('two-stage');
    const tokens = {
      batchSize: 1,
      tokenCount: 9,
      tokenDim: 8,
      values: new Float32Array(72),
    };

    await expect(engine.runHeads(tokens)).rejects.toMatchObject({
      code: 'BUNDLE_SHAPE_MISMATCH',
    });
    await engine.release();
  });
});
