/**
 * Slides, analyses, per-tile results with their nuclei chunks and spatial
 * index, the embedding cache, reviews and the append-only audit log.
 */
import type { Migration } from './migration';

const SLIDES = `
CREATE TABLE slides (
  id INTEGER PRIMARY KEY,
  content_id TEXT NOT NULL UNIQUE,
  last_path TEXT NOT NULL,
  format TEXT NOT NULL,
  width_px INTEGER NOT NULL CHECK (width_px > 0),
  height_px INTEGER NOT NULL CHECK (height_px > 0),
  mpp_x REAL CHECK (mpp_x > 0),
  mpp_y REAL CHECK (mpp_y > 0),
  mpp_source TEXT,
  added_at TEXT NOT NULL,
  last_opened_at TEXT NOT NULL,
  CHECK ((mpp_x IS NULL) = (mpp_y IS NULL) AND (mpp_x IS NULL) = (mpp_source IS NULL))
) STRICT;`;

const ANALYSES = `
CREATE TABLE analyses (
  id INTEGER PRIMARY KEY,
  slide_id INTEGER NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
  bundle_id TEXT NOT NULL,
  bundle_version TEXT NOT NULL,
  bundle_sha256 TEXT NOT NULL,
  parameters_json TEXT NOT NULL,
  parameters_sha256 TEXT NOT NULL,
  nucleus_classes_json TEXT NOT NULL,
  app_version TEXT NOT NULL,
  site_profile_version TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  error_code TEXT,
  planned_tile_count INTEGER NOT NULL CHECK (planned_tile_count >= 0),
  committed_tile_count INTEGER NOT NULL DEFAULT 0,
  nucleus_count INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;
CREATE INDEX analyses_by_slide ON analyses (slide_id, started_at);`;

// One row per finished tile; its rowid doubles as the R*Tree id. Each committed
// batch also writes one density_batches row (its tiles' rects and counts packed
// together) so the whole-slide level-of-detail view reads a few dozen rows, not
// one per tile. The R*Tree box
// is the union of the tile core and its nuclei's bounds (a nucleus owned by the
// tile may reach past the core), so a viewport query never misses an edge nucleus.
const TILES = `
CREATE TABLE analysis_tiles (
  id INTEGER PRIMARY KEY,
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  tile_index INTEGER NOT NULL,
  base_x REAL NOT NULL,
  base_y REAL NOT NULL,
  base_width REAL NOT NULL,
  base_height REAL NOT NULL,
  nucleus_count INTEGER NOT NULL,
  counts_by_type BLOB NOT NULL,
  mean_nucleus_probability REAL,
  mean_nucleus_entropy REAL,
  mean_type_entropy REAL,
  quality_flags_json TEXT NOT NULL,
  embedding BLOB,
  committed_at TEXT NOT NULL,
  UNIQUE (analysis_id, tile_index)
) STRICT;
CREATE TABLE nuclei_chunks (
  tile_id INTEGER PRIMARY KEY REFERENCES analysis_tiles(id) ON DELETE CASCADE,
  analysis_id INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE VIRTUAL TABLE tile_rtree USING rtree (
  id, min_analysis, max_analysis, min_x, max_x, min_y, max_y
);
CREATE TABLE density_batches (
  id INTEGER PRIMARY KEY,
  analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
  tile_count INTEGER NOT NULL,
  class_count INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX density_batches_by_analysis ON density_batches (analysis_id, id);
CREATE TRIGGER analysis_tiles_drop_rtree AFTER DELETE ON analysis_tiles BEGIN
  DELETE FROM tile_rtree WHERE id = old.id;
END;`;

const EMBEDDINGS = `
CREATE TABLE embedding_cache (
  slide_id INTEGER NOT NULL REFERENCES slides(id) ON DELETE CASCADE,
  cache_key TEXT NOT NULL,
  tile_index INTEGER NOT NULL,
  embedding BLOB NOT NULL,
  tokens_float16 BLOB,
  token_count INTEGER,
  token_dim INTEGER,
  created_at TEXT NOT NULL,
  PRIMARY KEY (slide_id, cache_key, tile_index)
) STRICT;`;

// Reviews reference slides without ON DELETE CASCADE: a slide that carries a
// pathologist's decision cannot be removed by accident.
const REVIEWS = `
CREATE TABLE slide_reviews (
  id INTEGER PRIMARY KEY,
  slide_id INTEGER NOT NULL REFERENCES slides(id),
  analysis_id INTEGER REFERENCES analyses(id),
  reviewer TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('agree', 'disagree', 'uncertain')),
  shadow_reading_json TEXT,
  note TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX slide_reviews_by_slide ON slide_reviews (slide_id, id);
CREATE TABLE roi_reviews (
  id INTEGER PRIMARY KEY,
  analysis_id INTEGER NOT NULL REFERENCES analyses(id),
  roi_id INTEGER NOT NULL,
  reviewer TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('agree', 'disagree', 'uncertain')),
  note TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX roi_reviews_by_analysis ON roi_reviews (analysis_id, roi_id, id);`;

// The audit log is append-only: triggers abort any UPDATE or DELETE, and each
// row carries a hash chained to the previous row so an edit made by other means
// (a database browser with the triggers dropped) is detectable.
const AUDIT = `
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  slide_id INTEGER,
  analysis_id INTEGER,
  bundle_id TEXT,
  bundle_version TEXT,
  site_profile_version TEXT,
  details_json TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  row_hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;`;

/** Schema version 1: the tables every other module builds on. */
export const coreSchema: Migration = {
  version: 1,
  name: '001-core',
  up(db) {
    for (const sql of [SLIDES, ANALYSES, TILES, EMBEDDINGS, REVIEWS, AUDIT]) db.exec(sql);
  },
};
