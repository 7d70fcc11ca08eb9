/** Rows of `slides`: register, look up by content id, list. */
import type { Database } from 'better-sqlite3';
import type { Mpp, MppSource } from '../../src-shared/slide-types';
import { StoreNotFoundError } from './store-errors';
import type { SlideInput, SlideRecord } from './store-types';

interface SlideRow {
  id: number;
  content_id: string;
  last_path: string;
  format: string;
  width_px: number;
  height_px: number;
  mpp_x: number | null;
  mpp_y: number | null;
  mpp_source: string | null;
  added_at: string;
  last_opened_at: string;
}

function toSlide(row: SlideRow): SlideRecord {
  const mpp: Mpp | null =
    row.mpp_x === null || row.mpp_y === null
      ? null
      : { x: row.mpp_x, y: row.mpp_y, source: row.mpp_source as MppSource };
  return {
    id: row.id,
    contentId: row.content_id,
    lastPath: row.last_path,
    format: row.format,
    widthPx: row.width_px,
    heightPx: row.height_px,
    mpp,
    addedAt: row.added_at,
    lastOpenedAt: row.last_opened_at,
  };
}

/**
 * Inserts the slide or, when its content id is known, refreshes its path and
 * last-opened time. A calibration the user entered is kept over a missing one.
 */
export function upsertSlide(
  db: Database,
  input: SlideInput,
  nowIso: string,
): SlideRecord {
  const row = db
    .prepare(
      `INSERT INTO slides (content_id, last_path, format, width_px, height_px,
         mpp_x, mpp_y, mpp_source, added_at, last_opened_at)
       VALUES (@contentId, @path, @format, @widthPx, @heightPx, @mppX, @mppY, @mppSource,
         @now, @now)
       ON CONFLICT (content_id) DO UPDATE SET
         last_path = excluded.last_path,
         last_opened_at = excluded.last_opened_at,
         mpp_x = coalesce(excluded.mpp_x, slides.mpp_x),
         mpp_y = coalesce(excluded.mpp_y, slides.mpp_y),
         mpp_source = coalesce(excluded.mpp_source, slides.mpp_source)
       RETURNING *`,
    )
    .get({
      contentId: input.contentId,
      path: input.path,
      format: input.format,
      widthPx: input.widthPx,
      heightPx: input.heightPx,
      mppX: input.mpp?.x ?? null,
      mppY: input.mpp?.y ?? null,
      mppSource: input.mpp?.source ?? null,
      now: nowIso,
    }) as SlideRow;
  return toSlide(row);
}

/** The slide with this content id, or `null` when it was never registered. */
export function findSlideByContentId(
  db: Database,
  contentId: string,
): SlideRecord | null {
  const row = db.prepare('SELECT * FROM slides WHERE content_id = ?').get(contentId);
  return row ? toSlide(row as SlideRow) : null;
}

/** The slide with this id; throws {@link StoreNotFoundError} when absent. */
export function getSlide(db: Database, slideId: number): SlideRecord {
  const row = db.prepare('SELECT * FROM slides WHERE id = ?').get(slideId);
  if (!row) throw new StoreNotFoundError(`Slide ${slideId}`);
  return toSlide(row as SlideRow);
}

/** All slides, most recently opened first. */
export function listSlides(db: Database): SlideRecord[] {
  const rows = db
    .prepare('SELECT * FROM slides ORDER BY last_opened_at DESC, id DESC')
    .all() as SlideRow[];
  return rows.map(toSlide);
}

/** Records a calibration for the slide (e.g. one the user supplied). */
export function setSlideMpp(db: Database, slideId: number, mpp: Mpp): SlideRecord {
  const row = db
    .prepare(
      `UPDATE slides SET mpp_x = ?, mpp_y = ?, mpp_source = ? WHERE id = ? RETURNING *`,
    )
    .get(mpp.x, mpp.y, mpp.source, slideId);
  if (!row) throw new StoreNotFoundError(`Slide ${slideId}`);
  return toSlide(row as SlideRow);
}
