/**
 * Resolves nuclei that neighbouring tiles both stored. Overlapping tiles outline a
 * nucleus on their seam twice, slightly differently, and each tile stores the
 * outlines whose centroid lies in its core (or also just outside it, see
 * `offeredNuclei` in analysis/tile-nuclei); so one nucleus can arrive twice (or
 * more, at a corner) from different tiles.
 *
 * Over all outlines of the committed tiles, taken in order of precedence
 * ({@link takesPrecedence}), an outline is shown unless a shown outline of another
 * tile that takes precedence is the same nucleus ({@link isSameNucleus}), and an
 * outline centred outside its tile's core is shown only when another tile outlined
 * the nucleus too; the rest are kept aside as given up. That result depends only on which tiles are
 * committed, never on their order, so a resumed analysis stores exactly what an
 * uninterrupted one does. Committing a batch re-decides only what its outlines can
 * change: its own outlines and, transitively, the lower-precedence outlines they
 * compete with, which may lie in tiles committed long before.
 */
import type { Database } from 'better-sqlite3';
import {
  isSameNucleus,
  outlinesOf,
  takesPrecedence,
  type Outline,
} from './seam-outlines';
import { rewriteTileOutlines } from './seam-rewrite';
import { readSeamTile, readTilesMeeting, type SeamTile } from './seam-tiles';

/** What {@link resolveSeams} changed. */
export interface SeamResolution {
  /** Shown nuclei after less shown nuclei before, over every tile it rewrote. */
  shownCountChange: number;
}

/**
 * Resolves the seams of the just-committed `tileIndices`; call inside the batch's
 * transaction, after the batch is written.
 */
export function resolveSeams(
  db: Database,
  batch: { analysisId: number; tileIndices: readonly number[] },
): SeamResolution {
  const outlines = new OutlineCache(db, batch.analysisId);
  const fresh = batch.tileIndices.flatMap((tileIndex) =>
    outlines.ofTile(readSeamTile(db, batch.analysisId, tileIndex)),
  );
  const changedTiles = decide(outlines, fresh);

  let shownCountChange = 0;
  for (const tile of changedTiles) {
    shownCountChange += rewriteTileOutlines(db, {
      analysisId: batch.analysisId,
      tile,
      outlines: outlines.ofTile(tile),
    });
  }
  return { shownCountChange };
}

/**
 * Decides the fresh outlines and every outline whose decision they can change, in
 * order of precedence, so each outline is decided after all that outrank it: the
 * fresh outlines' rivals (which may have gained their first rival) up front, and
 * the lower-ranked rivals of every outline that is fresh or changed on the way.
 * Returns the tiles with a changed outline.
 */
function decide(outlines: OutlineCache, fresh: Outline[]): SeamTile[] {
  const freshKeys = new Set(fresh.map((outline) => outline.key));
  const pending = new Map<string, Outline>();
  for (const outline of fresh) {
    pending.set(outline.key, outline);
    for (const rival of outlines.rivalsOf(outline)) pending.set(rival.key, rival);
  }

  const changed = new Map<number, SeamTile>();
  for (let next = highest(pending); next; next = highest(pending)) {
    const outline = next;
    pending.delete(outline.key);
    const rivals = outlines.rivalsOf(outline);
    const isKept = isShown(outline, rivals);
    const hasChanged = isKept !== outline.isKept;
    if (hasChanged) {
      outline.isKept = isKept;
      changed.set(outline.tile.id, outline.tile);
    }
    if (!hasChanged && !freshKeys.has(outline.key)) continue;
    for (const rival of rivals) {
      if (takesPrecedence(outline, rival)) pending.set(rival.key, rival);
    }
  }
  return [...changed.values()];
}

/**
 * Whether an outline is shown, given its rivals with their decisions so far: not
 * when a shown rival takes precedence, and, for an outline whose centroid lies
 * outside its tile's core, only when some other tile also outlined the nucleus
 * (the tile whose core holds the centroid saw nothing there, so it has no nucleus).
 */
function isShown(outline: Outline, rivals: readonly Outline[]): boolean {
  if (!outline.isInsideCore && rivals.length === 0) return false;
  return !rivals.some((rival) => rival.isKept && takesPrecedence(rival, outline));
}

function highest(pending: Map<string, Outline>): Outline | undefined {
  let best: Outline | undefined;
  for (const outline of pending.values()) {
    if (!best || takesPrecedence(outline, best)) best = outline;
  }
  return best;
}

/**
 * Outlines of the tiles read so far, each tile read once, so that a decision made
 * during the resolution is seen by every later one.
 */
class OutlineCache {
  private readonly byTile = new Map<number, Outline[]>();
  private readonly rivals = new Map<string, Outline[]>();

  constructor(
    private readonly db: Database,
    private readonly analysisId: number,
  ) {}

  ofTile(tile: SeamTile): Outline[] {
    let outlines = this.byTile.get(tile.id);
    if (!outlines) {
      outlines = outlinesOf(tile);
      this.byTile.set(tile.id, outlines);
    }
    return outlines;
  }

  /** Outlines of other tiles that are the same nucleus as `outline`. */
  rivalsOf(outline: Outline): Outline[] {
    const known = this.rivals.get(outline.key);
    if (known) return known;
    const found = readTilesMeeting(this.db, this.analysisId, outline.bounds)
      .filter((tile) => tile.id !== outline.tile.id)
      .flatMap((tile) => this.ofTile(tile))
      .filter((other) => isSameNucleus(outline, other));
    this.rivals.set(outline.key, found);
    return found;
  }
}
