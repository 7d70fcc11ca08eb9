/**
 * The bundle builder end to end on a tiny subset: a few training steps, calibration,
 * ONNX export with its parity check, then the app's own verified loader and engine
 * on the result. Training for real takes hours and is not part of the suite.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadBundle } from '../../../src-main/inference/bundle-loader';
import { NucleiEngine } from '../../../src-main/inference/engine';
import { BatchBuilder } from '../../../src-main/inference/preprocess';
import { SYSTEM_PYTHON } from '../../fixtures/test-bundles';
import { describeWithData, SHARED_DATA_DIR } from '../../support/shared-data';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BUILD_TIMEOUT_MS = 600_000;

describeWithData('build_bundle --smoke', () => {
  let folder = '';
  let bundle = '';

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'cellvit-smoke-'));
    bundle = path.join(folder, 'bundle');
    const args = ['-m', 'models.training.build_bundle', '--smoke', '--threads', '2'];
    args.push('--data', SHARED_DATA_DIR, '--out', bundle);
    args.push('--run-dir', path.join(folder, 'run'));
    await run(SYSTEM_PYTHON, args, { cwd: REPO_ROOT, timeout: BUILD_TIMEOUT_MS });
  }, BUILD_TIMEOUT_MS);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('writes a bundle that the verified loader accepts', async () => {
    const loaded = await loadBundle(bundle);
    expect(loaded.manifest.intendedUse).toBe('pre-triage');
    expect(loaded.manifest.files.map((f) => f.path).sort()).toEqual([
      'MODEL_CARD.md',
      'calibration.json',
      'model.onnx',
    ]);
  });

  it('runs a tile through ONNX Runtime with the outputs the manifest names', async () => {
    const loaded = await loadBundle(bundle);
    const engine = await NucleiEngine.create(loaded, { intraOpNumThreads: 1 });
    try {
      const tileSizePx = loaded.manifest.input.tileSizePx;
      const builder = new BatchBuilder(
        loaded.manifest.input.normalisation,
        tileSizePx,
        1,
      );
      const pixels = new Uint8Array(tileSizePx * tileSizePx * 3);
      for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 37) % 256;
      builder.writeTile(
        { data: pixels, widthPx: tileSizePx, heightPx: tileSizePx, channels: 3 },
        0,
      );
      const maps = await engine.run(builder.view(1), 1);

      expect(maps.np).toHaveLength(2 * tileSizePx * tileSizePx);
      expect(maps.nt).toHaveLength(maps.ntChannels * tileSizePx * tileSizePx);
      expect(maps.embeddingDim).toBeGreaterThan(0);
      expect(maps.np.every(Number.isFinite)).toBe(true);
    } finally {
      await engine.release();
    }
  });

  it('labels the model card as a smoke build, not a usable model', () => {
    const card = readFileSync(path.join(bundle, 'MODEL_CARD.md'), 'utf8');
    expect(card).toMatch(/smoke build/i);
  });
});
