/**
 * One schema step. Migrations are numbered from 1 without gaps; each runs once,
 * inside the transaction that records it, so a failure leaves the schema as it was.
 */
import type { Database } from 'better-sqlite3';

/** A numbered schema step; see the module comment. */
export interface Migration {
  /** Position in the list, from 1; stored in `PRAGMA user_version` once applied. */
  version: number;
  /** Short kebab-case name, matching the file (`001-core`). */
  name: string;
  /** Applies the step; runs inside a transaction, so it must not BEGIN or COMMIT. */
  up(db: Database): void;
}
