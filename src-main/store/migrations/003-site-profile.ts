/**
 * Records with each analysis whether its site profile was the cold-start one, next
 * to the profile version `analyses` already holds, so an analysis says on its own
 * whether its thresholds were fitted to the site. `NULL` for analyses stored before
 * this step, which did not record it.
 */
import type { Migration } from './migration';

const COLD_START_COLUMN = `
ALTER TABLE analyses ADD COLUMN site_profile_is_cold_start INTEGER
  CHECK (site_profile_is_cold_start IN (0, 1));`;

/** Schema version 3: `analyses.site_profile_is_cold_start`. */
export const siteProfileSchema: Migration = {
  version: 3,
  name: '003-site-profile',
  up(db) {
    db.exec(COLD_START_COLUMN);
  },
};
