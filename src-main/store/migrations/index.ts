/**
 * The ordered list of schema migrations. A module that needs tables adds a file
 * `NNN-name.ts` next to this one exporting a {@link Migration} with the next
 * version number, and appends it here. Never edit or reorder an applied step:
 * databases in the field already carry it.
 */
import type { Migration } from './migration';
import { coreSchema } from './001-core';
import { triageSchema } from './002-triage';
import { siteProfileSchema } from './003-site-profile';
import { seamSuppressedSchema } from './004-seam-suppressed';
import { analysisClaimsSchema } from './005-analysis-claims';

export type { Migration } from './migration';

/** Every migration, in order; the schema version is the length of this list. */
export const MIGRATIONS: readonly Migration[] = [
  coreSchema,
  triageSchema,
  siteProfileSchema,
  seamSuppressedSchema,
  analysisClaimsSchema,
];
