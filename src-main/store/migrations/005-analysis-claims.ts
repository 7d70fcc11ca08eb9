/**
 * Which process is running an analysis: its host and process id, and when it last
 * showed it was alive. A row exists only while a run holds the analysis, so two
 * processes given the same slide and settings cannot work on it at once, and a row
 * left by a killed process is recognised as stale and taken over.
 */
import type { Migration } from './migration';

const CLAIMS = `
CREATE TABLE analysis_claims (
  analysis_id INTEGER PRIMARY KEY REFERENCES analyses(id) ON DELETE CASCADE,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL CHECK (pid > 0),
  heartbeat_at TEXT NOT NULL
) STRICT;`;

/** Schema version 5: `analysis_claims`. */
export const analysisClaimsSchema: Migration = {
  version: 5,
  name: '005-analysis-claims',
  up(db) {
    db.exec(CLAIMS);
  },
};
