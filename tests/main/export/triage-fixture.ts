/**
 * A small triaged analysis for export tests: the synthetic slide of
 * `SMALL_SPEC` (1536 x 1280 px) registered under a path that holds an accession
 * number and a name, one row of tiles with nuclei, and one stored triage run with
 * a 3 x 3 verdict grid of 512 px cells and two ranked ROIs.
 */
import type { Rect } from '../../../src-shared/geometry';
import type { Verdict, VerdictReason } from '../../../src-shared/verdict';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { saveTriageRun } from '../../../src-main/uncertainty/triage-store';
import type {
  RankedRoi,
  RegionCell,
  RegionMeasures,
  SlideSummary,
} from '../../../src-main/uncertainty/types';
import { seedAnalysis, SMALL_SPEC } from '../store/store-fixtures';
import { makeContext } from '../uncertainty/triage-builders';

/** Identifiers that must never appear in an export. */
export const PATIENT_PATH = '/cases/S24-12345_Smith/S24-12345_Smith.svs';
export const PATIENT_MARKERS = ['S24-12345', 'Smith', '.svs', '/cases'];

export const TILE_INDICES = [0, 1, 2, 3, 4, 5];
const CELL_PX = 512;

function measures(nucleusCount: number): RegionMeasures {
  return {
    tileCount: 4,
    tissueTileCount: 4,
    npEntropyMean: 0.2,
    ntEntropyMean: 0.3,
    meanSetSize: 1.4,
    oodDistanceMax: 1.5,
    oodTileFraction: 0,
    qualityFailureFraction: 0,
    stainOutlierFraction: 0,
    mppOutOfRangeTileCount: 0,
    nucleusCount,
    typedNucleusCount: nucleusCount,
    neoplasticCount: Math.floor(nucleusCount / 2),
  };
}

export const OOD_REASON: VerdictReason = {
  code: 'ood-distance',
  verdict: 'out-of-domain',
  value: 7.25,
  threshold: 3,
};
export const REVIEW_REASON: VerdictReason = {
  code: 'nt-entropy-high',
  verdict: 'review',
  value: 0.71,
  threshold: 0.6,
};

function cell(col: number, row: number): RegionCell {
  const verdicts: Record<string, [Verdict, VerdictReason[]]> = {
    '0,0': ['out-of-domain', [OOD_REASON]],
    '1,0': ['review', [REVIEW_REASON]],
  };
  const [verdict, reasons] = verdicts[`${col},${row}`] ?? ['reliable', []];
  const cellBaseRect: Rect = {
    x: col * CELL_PX,
    y: row * CELL_PX,
    width: CELL_PX,
    height: Math.min(CELL_PX, 1280 - row * CELL_PX),
  };
  return { col, row, cellBaseRect, verdict, reasons, ...measures(40) };
}

export const REGIONS: RegionCell[] = [0, 1, 2].flatMap((row) =>
  [0, 1, 2].map((col) => cell(col, row)),
);

const WEIGHTS = { uncertainty: 0.4, density: 0.3, neoplasticFraction: 0.3 };

export const ROIS: RankedRoi[] = [
  {
    rank: 1,
    roiBaseRect: { x: 0, y: 0, width: 1024, height: 1024 },
    score: 0.8125,
    parts: { uncertainty: 1, density: 0.75, neoplasticFraction: 0.625, weights: WEIGHTS },
    priority: 'critical',
    verdict: 'out-of-domain',
    nucleusCount: 160,
  },
  {
    rank: 2,
    roiBaseRect: { x: 1024, y: 512, width: 512, height: 768 },
    score: 0.2,
    parts: { uncertainty: 0.1, density: 0.2, neoplasticFraction: 0.4, weights: WEIGHTS },
    priority: 'low',
    verdict: 'reliable',
    nucleusCount: 80,
  },
];

export const SLIDE_REASONS: VerdictReason[] = [
  { code: 'ood-regions', verdict: 'out-of-domain', value: 0.1111, threshold: 0.1 },
  { code: 'review-regions', verdict: 'review', value: 0.1111, threshold: 0.05 },
];

function summary(analysisId: number): Omit<SlideSummary, 'triageVersion'> {
  return {
    analysisId,
    verdict: 'out-of-domain',
    reasons: SLIDE_REASONS,
    organ: { hasOrganHead: false, text: 'no organ head' },
    countsByClass: {},
    nucleusCount: TILE_INDICES.length * SMALL_SPEC.nucleiPerTile,
    regionCounts: { reliable: 7, review: 1, 'out-of-domain': 1 },
    topRois: ROIS,
    settings: makeContext().settings,
  };
}

/** Registers the slide under {@link PATIENT_PATH} with finished nuclei, not triaged. */
export function seedFinishedAnalysis(store: ResultStore): number {
  const { slide, analysis } = seedAnalysis(store);
  store.upsertSlide({ ...slide, path: PATIENT_PATH });
  store.commitTileBatch(
    analysis.id,
    TILE_INDICES.map((i) => syntheticTile(SMALL_SPEC, i)),
  );
  store.finishAnalysis(analysis.id);
  return analysis.id;
}

/** Stores one triage run of {@link REGIONS} and {@link ROIS} for the analysis. */
export function saveTriage(store: ResultStore, analysisId: number): void {
  saveTriageRun(store.db, {
    analysisId,
    summary: summary(analysisId),
    regions: REGIONS,
    rois: ROIS,
    createdAtIso: '2024-05-01T10:00:00.000Z',
  });
}

/** A finished, triaged analysis; returns its id. */
export function seedTriagedAnalysis(store: ResultStore): number {
  const analysisId = seedFinishedAnalysis(store);
  saveTriage(store, analysisId);
  return analysisId;
}

/** Stored nuclei per type name, counted from the synthetic tiles themselves. */
export function expectedCountsByType(store: ResultStore, analysisId: number) {
  const counts: Record<string, number> = {};
  const classes = store.getAnalysis(analysisId).nucleusClasses;
  for (const typeClass of classes) counts[typeClass.name] = 0;
  for (const index of TILE_INDICES) {
    for (const nucleus of syntheticTile(SMALL_SPEC, index).nuclei) {
      const name = classes.find((c) => c.index === nucleus.typeIndex)!.name;
      counts[name]! += 1;
    }
  }
  return counts;
}
