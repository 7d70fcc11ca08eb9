/**
 * Reads and writes the triage tables of migration `002-triage`. Callers own the
 * transaction: tile rows go in with their tile batch, a triage run in one piece.
 */
import type { Database } from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache';
import type {
  QualityFlag,
  RankedRoi,
  RegionCell,
  SlideSummary,
  TileUncertainty,
} from './types';

/** A stored tile row: a {@link TileUncertainty} without the per-nucleus sets. */
export type StoredTileUncertainty = Omit<TileUncertainty, 'nucleusSets'>;

const INSERT_TILE = `INSERT OR REPLACE INTO tile_uncertainty (
    analysis_id, tile_index, base_x, base_y, base_width, base_height, tissue_fraction,
    np_entropy_mean, nt_entropy_mean, nt_entropy_pixels, ood_distance, is_ood,
    flags_json, laplacian_variance, nucleus_count, typed_nucleus_count,
    counts_by_class_json, neoplastic_count, set_size_sum
  ) VALUES (
    @analysisId, @tileIndex, @x, @y, @width, @height, @tissueFraction,
    @npEntropyMean, @ntEntropyMean, @ntEntropyPixels, @oodDistance, @isOod,
    @flags, @laplacianVariance, @nucleusCount, @typedNucleusCount,
    @countsByClass, @neoplasticCount, @setSizeSum)`;

/** Stores one tile's assessment; replaces a row left by an interrupted run. */
export function saveTileUncertainty(
  db: Database,
  analysisId: number,
  tile: TileUncertainty,
): void {
  cachedStatement(db, INSERT_TILE).run({
    analysisId,
    ...tile,
    ...tile.tileBaseRect,
    isOod: tile.isOod ? 1 : 0,
    flags: JSON.stringify(tile.flags),
    countsByClass: JSON.stringify(tile.countsByClass),
  });
}

interface TileRow {
  tile_index: number;
  base_x: number;
  base_y: number;
  base_width: number;
  base_height: number;
  tissue_fraction: number;
  np_entropy_mean: number | null;
  nt_entropy_mean: number | null;
  nt_entropy_pixels: number;
  ood_distance: number | null;
  is_ood: number;
  flags_json: string;
  laplacian_variance: number | null;
  nucleus_count: number;
  typed_nucleus_count: number;
  counts_by_class_json: string;
  neoplastic_count: number;
  set_size_sum: number;
}

/** Every stored tile assessment of an analysis, in tile order. */
export function loadTileUncertainty(
  db: Database,
  analysisId: number,
): StoredTileUncertainty[] {
  const rows = db
    .prepare('SELECT * FROM tile_uncertainty WHERE analysis_id = ? ORDER BY tile_index')
    .all(analysisId) as TileRow[];
  return rows.map((row) => ({
    tileIndex: row.tile_index,
    tileBaseRect: {
      x: row.base_x,
      y: row.base_y,
      width: row.base_width,
      height: row.base_height,
    },
    tissueFraction: row.tissue_fraction,
    npEntropyMean: row.np_entropy_mean,
    ntEntropyMean: row.nt_entropy_mean,
    ntEntropyPixels: row.nt_entropy_pixels,
    oodDistance: row.ood_distance,
    isOod: row.is_ood === 1,
    flags: JSON.parse(row.flags_json) as QualityFlag[],
    laplacianVariance: row.laplacian_variance,
    nucleusCount: row.nucleus_count,
    typedNucleusCount: row.typed_nucleus_count,
    countsByClass: JSON.parse(row.counts_by_class_json) as Record<number, number>,
    neoplasticCount: row.neoplastic_count,
    setSizeSum: row.set_size_sum,
  }));
}

/** What {@link saveTriageRun} stores. */
export interface TriageRunInput {
  analysisId: number;
  summary: Omit<SlideSummary, 'triageVersion'>;
  regions: readonly RegionCell[];
  rois: readonly RankedRoi[];
  createdAtIso: string;
}

/** Stores a triage run with its regions and ROIs; returns its version (1, 2, ...). */
export function saveTriageRun(db: Database, input: TriageRunInput): number {
  const write = db.transaction(() => {
    const { summary } = input;
    const previous = db
      .prepare('SELECT MAX(triage_version) AS v FROM triage_runs WHERE analysis_id = ?')
      .get(input.analysisId) as { v: number | null };
    const version = (previous.v ?? 0) + 1;
    const stored: SlideSummary = { ...summary, triageVersion: version };

    const run = db
      .prepare(
        `INSERT INTO triage_runs (analysis_id, triage_version, profile_site_id,
          profile_version, is_cold_start, settings_json, verdict, reasons_json,
          summary_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.analysisId,
        version,
        summary.settings.profileSiteId,
        summary.settings.profileVersion,
        summary.settings.isColdStart ? 1 : 0,
        JSON.stringify(summary.settings),
        summary.verdict,
        JSON.stringify(summary.reasons),
        JSON.stringify(stored),
        input.createdAtIso,
      );
    const triageId = Number(run.lastInsertRowid);
    insertRegions(db, triageId, input.regions);
    insertRois(db, triageId, input.rois);
    return version;
  });
  return write.immediate();
}

function insertRegions(
  db: Database,
  triageId: number,
  regions: readonly RegionCell[],
): void {
  const insert = db.prepare(
    `INSERT INTO triage_regions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const region of regions) {
    const { col, row, cellBaseRect: r, verdict, reasons, ...measures } = region;
    insert.run(
      triageId,
      col,
      row,
      r.x,
      r.y,
      r.width,
      r.height,
      verdict,
      JSON.stringify(reasons),
      JSON.stringify(measures),
    );
  }
}

function insertRois(db: Database, triageId: number, rois: readonly RankedRoi[]): void {
  const insert = db.prepare(
    `INSERT INTO triage_rois (triage_id, rank, base_x, base_y, base_width, base_height,
      score, priority, verdict, parts_json, nucleus_count)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const roi of rois) {
    const r = roi.roiBaseRect;
    insert.run(
      triageId,
      roi.rank,
      r.x,
      r.y,
      r.width,
      r.height,
      roi.score,
      roi.priority,
      roi.verdict,
      JSON.stringify(roi.parts),
      roi.nucleusCount,
    );
  }
}

/** The latest stored slide summary of an analysis, or `null` when it was never triaged. */
export function readSlideSummary(db: Database, analysisId: number): SlideSummary | null {
  const row = db
    .prepare(
      `SELECT summary_json FROM triage_runs WHERE analysis_id = ?
        ORDER BY triage_version DESC LIMIT 1`,
    )
    .get(analysisId) as { summary_json: string } | undefined;
  return row ? (JSON.parse(row.summary_json) as SlideSummary) : null;
}
