/**
 * Small, explicit inputs for triage tests: a four-class calibration with a 2-D OOD
 * reference, a context built from it, stored tiles and a real SQLite database with
 * one slide and one analysis.
 */
import type { Database } from 'better-sqlite3';
import type {
  BundleCalibration,
  NucleusClass,
} from '../../../src-shared/bundle-manifest';
import { COLD_START_PROFILE, type SiteProfile } from '../../../src-shared/site-profile';
import { createAnalysis } from '../../../src-main/store/analyses-repo';
import { openDatabase } from '../../../src-main/store/database';
import { upsertSlide } from '../../../src-main/store/slides-repo';
import {
  createTriageContext,
  type TriageContext,
} from '../../../src-main/uncertainty/triage-context';
import type { TileUncertainty } from '../../../src-main/uncertainty/types';

export const CLASSES: NucleusClass[] = [
  { index: 1, name: 'inflammatory', pannuke: ['Inflammatory'], color: '#1f77ff' },
  { index: 2, name: 'connective', pannuke: ['Connective'], color: '#2ca02c' },
  {
    index: 3,
    name: 'epithelial-or-neoplastic',
    pannuke: ['Neoplastic', 'Epithelial'],
    color: '#e3171e',
  },
  { index: 4, name: 'other', pannuke: [], color: '#f5b800' },
];

const LAC_SCORES = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

export function makeCalibration(): BundleCalibration {
  return {
    temperature: { np: 1.5, nt: 1.2, organ: null },
    conformal: {
      nt: {
        split: 'test split',
        lac: LAC_SCORES,
        aps: LAC_SCORES,
        perClass: { '1': { lac: LAC_SCORES, aps: LAC_SCORES } },
      },
    },
    ood: {
      dim: 2,
      mean: [0, 0],
      precision: [1, 0, 0, 1],
      shrinkage: 0.1,
      referenceDistances: { q50: 1, q90: 2, q95: 2.5, q99: 3, max: 4 },
      thresholdQuantile: 'q99',
    },
    thresholds: { npEntropyReview: 0.5, ntEntropyReview: 0.6, setSizeReview: 2 },
    splits: {},
  };
}

export function makeContext(
  profile: Partial<SiteProfile> = {},
  slideMppX: number | null = 0.25,
): TriageContext {
  return createTriageContext({
    calibration: makeCalibration(),
    profile: { ...COLD_START_PROFILE, ...profile },
    nucleusClasses: CLASSES,
    organs: [],
    targetMpp: 0.25,
    slideMppX,
  });
}

/** A calm, in-domain tissue tile at grid position (col, row) of 256 px tiles. */
export function makeTile(col: number, row: number, over: Partial<TileUncertainty> = {}) {
  const tile: TileUncertainty = {
    tileIndex: row * 100 + col,
    tileBaseRect: { x: col * 256, y: row * 256, width: 256, height: 256 },
    tissueFraction: 0.9,
    npEntropyMean: 0.1,
    ntEntropyMean: 0.2,
    ntEntropyPixels: 1000,
    oodDistance: 1,
    isOod: false,
    flags: [],
    laplacianVariance: 500,
    nucleusCount: 10,
    typedNucleusCount: 10,
    countsByClass: { 1: 5, 3: 5 },
    neoplasticCount: 5,
    setSizeSum: 10,
    nucleusSets: [],
  };
  return { ...tile, ...over };
}

/** A migrated in-memory database holding one slide and one running analysis. */
export function makeDatabase(): { db: Database; analysisId: number } {
  const db = openDatabase(':memory:');
  const now = '2024-01-01T00:00:00.000Z';
  const slide = upsertSlide(
    db,
    {
      contentId: 'c1',
      path: '/x.svs',
      format: 'aperio-svs',
      widthPx: 4096,
      heightPx: 4096,
      mpp: null,
    },
    now,
  );
  const analysis = createAnalysis(
    db,
    {
      slideId: slide.id,
      bundle: { id: 'b', version: '1.0.0', sha256: 'a'.repeat(64) },
      parameters: {},
      nucleusClasses: CLASSES,
      appVersion: '0.1.0',
      siteProfileVersion: '1',
      plannedTileCount: 1,
    },
    now,
  );
  return { db, analysisId: analysis.id };
}
