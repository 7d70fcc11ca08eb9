import { afterEach, beforeEach, expect, it } from 'vitest';
import { exportContext } from '../../../src-main/export/export-nuclei';
import { analysisIdentity } from '../../../src-main/export/slide-summary';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticClasses } from '../../../src-main/store/synthetic-results';
import {
  makeStore,
  seedAnalysis,
  SMALL_SPEC,
  TEST_BUNDLE,
} from '../store/store-fixtures';

let store: ResultStore;
let cleanup: () => void;
beforeEach(() => ({ store, cleanup } = makeStore()));
afterEach(() => cleanup());

it("measures an analysis at the pixel size it ran at, whatever the slide's row says later", () => {
  const { slide } = seedAnalysis(store);
  const ranAt = { x: 0.25, y: 0.25, source: 'user' } as const;
  const analysis = store.createAnalysis({
    slideId: slide.id,
    bundle: TEST_BUNDLE,
    parameters: { seed: 7, mpp: ranAt },
    nucleusClasses: syntheticClasses(SMALL_SPEC),
    appVersion: '0.1.0-test',
    siteProfileVersion: 'site-a@3',
    plannedTileCount: 4,
  });
  // A later run given another pixel size rewrites the slide's row.
  store.setSlideMpp(slide.id, { x: 0.5, y: 0.5, source: 'user' });

  const context = exportContext(store, analysis.id);
  expect(context.micronsSquaredPerPx).toBeCloseTo(0.0625, 12);
  expect(analysisIdentity(context).mpp).toEqual(ranAt);
});

it("falls back to the slide's pixel size for an analysis that did not record one", () => {
  const { analysis } = seedAnalysis(store);
  expect(exportContext(store, analysis.id).micronsSquaredPerPx).toBeCloseTo(0.25, 12);
});
