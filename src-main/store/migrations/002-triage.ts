/**
 * Uncertainty and triage results: one row per assessed tile (written with the
 * tile batch), and per finalisation a versioned triage run with its region grid,
 * ranked ROIs and slide summary. Re-triaging an analysis with another site
 * profile adds a run; earlier runs stay for audit.
 */
import type { Migration } from './migration';

const TILE_UNCERTAINTY = `
CREATE TABLE tile_uncertainty (
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  tile_index INTEGER NOT NULL,
  base_x REAL NOT NULL,
  base_y REAL NOT NULL,
  base_width REAL NOT NULL CHECK (base_width > 0),
  base_height REAL NOT NULL CHECK (base_height > 0),
  tissue_fraction REAL NOT NULL CHECK (tissue_fraction BETWEEN 0 AND 1),
  np_entropy_mean REAL,
  nt_entropy_mean REAL,
  nt_entropy_pixels INTEGER NOT NULL,
  ood_distance REAL,
  is_ood INTEGER NOT NULL CHECK (is_ood IN (0, 1)),
  flags_json TEXT NOT NULL,
  laplacian_variance REAL,
  nucleus_count INTEGER NOT NULL,
  typed_nucleus_count INTEGER NOT NULL,
  counts_by_class_json TEXT NOT NULL,
  neoplastic_count INTEGER NOT NULL,
  set_size_sum INTEGER NOT NULL,
  PRIMARY KEY (analysis_id, tile_index)
) STRICT;`;

const VERDICT_CHECK = `CHECK (verdict IN ('reliable', 'review', 'out-of-domain'))`;

const TRIAGE_RUNS = `
CREATE TABLE triage_runs (
  id INTEGER PRIMARY KEY,
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  triage_version INTEGER NOT NULL CHECK (triage_version > 0),
  profile_site_id TEXT NOT NULL,
  profile_version INTEGER NOT NULL,
  is_cold_start INTEGER NOT NULL CHECK (is_cold_start IN (0, 1)),
  settings_json TEXT NOT NULL,
  verdict TEXT NOT NULL ${VERDICT_CHECK},
  reasons_json TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (analysis_id, triage_version)
) STRICT;`;

const TRIAGE_REGIONS = `
CREATE TABLE triage_regions (
  triage_id INTEGER NOT NULL REFERENCES triage_runs(id) ON DELETE CASCADE,
  col INTEGER NOT NULL,
  row INTEGER NOT NULL,
  base_x REAL NOT NULL,
  base_y REAL NOT NULL,
  base_width REAL NOT NULL,
  base_height REAL NOT NULL,
  verdict TEXT NOT NULL ${VERDICT_CHECK},
  reasons_json TEXT NOT NULL,
  measures_json TEXT NOT NULL,
  PRIMARY KEY (triage_id, col, row)
) STRICT;`;

const TRIAGE_ROIS = `
CREATE TABLE triage_rois (
  id INTEGER PRIMARY KEY,
  triage_id INTEGER NOT NULL REFERENCES triage_runs(id) ON DELETE CASCADE,
  rank INTEGER NOT NULL CHECK (rank > 0),
  base_x REAL NOT NULL,
  base_y REAL NOT NULL,
  base_width REAL NOT NULL,
  base_height REAL NOT NULL,
  score REAL NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  verdict TEXT NOT NULL ${VERDICT_CHECK},
  parts_json TEXT NOT NULL,
  nucleus_count INTEGER NOT NULL,
  UNIQUE (triage_id, rank)
) STRICT;`;

export const triageSchema: Migration = {
  version: 2,
  name: '002-triage',
  up(db) {
    for (const sql of [TILE_UNCERTAINTY, TRIAGE_RUNS, TRIAGE_REGIONS, TRIAGE_ROIS])
      db.exec(sql);
  },
};
