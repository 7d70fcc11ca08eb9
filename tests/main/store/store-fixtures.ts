/**
 * Temporary result stores for tests: a fresh database file in its own folder,
 * one registered slide and one running analysis on a small synthetic grid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type ResultStore } from '../../../src-main/store/index';
import type { OpenStoreOptions } from '../../../src-main/store/store';
import {
  syntheticClasses,
  type SyntheticSlideSpec,
} from '../../../src-main/store/synthetic-results';

export const SMALL_SPEC: SyntheticSlideSpec = {
  tileSizePx: 256,
  tileColumns: 6,
  tileRows: 5,
  nucleiPerTile: 20,
  typeClassCount: 5,
  verticesPerNucleus: 12,
  seed: 3,
};

/** A temporary folder removed by `cleanup`. */
export function makeTempDir(prefix = 'cellvit-store-test-'): {
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const TEST_BUNDLE = {
  id: 'test-bundle',
  version: '1.2.3',
  sha256: 'a'.repeat(64),
};

/** Registers a slide and starts an analysis for `spec`. */
export function seedAnalysis(
  store: ResultStore,
  spec: SyntheticSlideSpec = SMALL_SPEC,
  contentId = 'c'.repeat(64),
  extraParameters: Record<string, unknown> = {},
) {
  const slide = store.upsertSlide({
    contentId,
    path: '/slides/S-24-001234 Smith.svs',
    format: 'aperio-svs',
    widthPx: spec.tileColumns * spec.tileSizePx,
    heightPx: spec.tileRows * spec.tileSizePx,
    mpp: { x: 0.5, y: 0.5, source: 'openslide-property' },
  });
  const analysis = store.createAnalysis({
    slideId: slide.id,
    bundle: TEST_BUNDLE,
    parameters: {
      tileSizePx: spec.tileSizePx,
      overlapPx: 32,
      seed: spec.seed,
      ...extraParameters,
    },
    nucleusClasses: syntheticClasses(spec),
    appVersion: '0.1.0-test',
    siteProfileVersion: 'site-a@3',
    plannedTileCount: spec.tileColumns * spec.tileRows,
  });
  return { slide, analysis };
}

/** A fresh store in a temporary folder, with its path and a cleanup. */
export function makeStore(options: OpenStoreOptions = {}) {
  const temp = makeTempDir();
  const dbPath = path.join(temp.dir, 'results.db');
  const store = openStore(dbPath, options);
  const cleanup = () => {
    if (store.db.open) store.close();
    temp.cleanup();
  };
  return { store, dbPath, dir: temp.dir, cleanup };
}
