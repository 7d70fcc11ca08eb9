import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportContext } from '../../../src-main/export/export-nuclei';
import {
  analysisIdentity,
  nucleusCountsByType,
  triageOverview,
} from '../../../src-main/export/slide-summary';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, seedAnalysis, SMALL_SPEC } from '../store/store-fixtures';
import { expectedCountsByType, seedFinishedAnalysis } from './triage-fixture';

let store: ResultStore;
let cleanup: () => void;

beforeEach(() => ({ store, cleanup } = makeStore()));
afterEach(() => cleanup());

describe('nucleusCountsByType', () => {
  it('sums the stored nuclei of each type over all tiles', () => {
    const analysisId = seedFinishedAnalysis(store);
    const counts = nucleusCountsByType(exportContext(store, analysisId));
    expect(counts).toEqual(expectedCountsByType(store, analysisId));
  });

  it('counts every nucleus as untyped when the model has no type head', () => {
    const untypedSpec = { ...SMALL_SPEC, typeClassCount: 0 };
    const { analysis } = seedAnalysis(store, untypedSpec);
    store.commitTileBatch(analysis.id, [syntheticTile(untypedSpec, 0)]);

    expect(nucleusCountsByType(exportContext(store, analysis.id))).toEqual({
      untyped: untypedSpec.nucleiPerTile,
    });
  });
});

describe('analysisIdentity', () => {
  it('gives the mpp with its source when the slide is calibrated', () => {
    const analysisId = seedFinishedAnalysis(store);
    expect(analysisIdentity(exportContext(store, analysisId)).mpp).toEqual({
      x: 0.5,
      y: 0.5,
      source: 'openslide-property',
    });
  });

  it('gives a null mpp when the slide has no calibration', () => {
    const analysisId = seedFinishedAnalysis(store);
    store.db
      .prepare('UPDATE slides SET mpp_x = NULL, mpp_y = NULL, mpp_source = NULL')
      .run();
    expect(analysisIdentity(exportContext(store, analysisId)).mpp).toBeNull();
  });
});

describe('triageOverview', () => {
  it('returns null when there is no triage', () => {
    expect(triageOverview(null)).toBeNull();
  });
});
