/**
 * Nuclei a tile stored but does not show: outlines of a nucleus over which a
 * neighbouring tile's outline took precedence at their seam, and outlines centred
 * past the tile's core that no other tile has outlined. They are kept (in the nuclei
 * chunk format) so that a tile committed later is compared with every outline its
 * neighbours produced, which makes the stored result independent of the order tiles
 * are committed in.
 */
import type { Migration } from './migration';

const SUPPRESSED = `
CREATE TABLE seam_suppressed_nuclei (
  tile_id INTEGER PRIMARY KEY REFERENCES analysis_tiles(id) ON DELETE CASCADE,
  analysis_id INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;`;

/** Schema version 4: `seam_suppressed_nuclei`. */
export const seamSuppressedSchema: Migration = {
  version: 4,
  name: '004-seam-suppressed',
  up(db) {
    db.exec(SUPPRESSED);
  },
};
