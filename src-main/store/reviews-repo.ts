/**
 * Pathologists' decisions on slides and regions. Each decision is a new row (the
 * newest wins) and is written with its audit entry in one transaction.
 */
import type { Database } from 'better-sqlite3';
import { appendAudit } from './audit-log';

/** A pathologist's decision on the triage of a slide or a region. */
export const REVIEW_DECISIONS = ['agree', 'disagree', 'uncertain'] as const;
/** One of {@link REVIEW_DECISIONS}. */
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A decision on a whole slide. */
export interface SlideReviewInput {
  slideId: number;
  /** The analysis shown (or hidden, in shadow mode) when deciding; `null` if none. */
  analysisId: number | null;
  reviewer: string;
  decision: ReviewDecision;
  /** In shadow mode, the pathologist's own reading recorded before seeing the model's. */
  shadowReading: Record<string, unknown> | null;
  note: string | null;
}

/** A decision on one region of interest of an analysis. */
export interface RoiReviewInput {
  analysisId: number;
  roiId: number;
  reviewer: string;
  decision: ReviewDecision;
  note: string | null;
}

/** A stored slide review. */
export interface SlideReview extends SlideReviewInput {
  id: number;
  createdAt: string;
}

/** A stored region review. */
export interface RoiReview extends RoiReviewInput {
  id: number;
  createdAt: string;
}

/** Stores a slide decision and its audit entry; returns the new row's id. */
export function insertSlideReview(
  db: Database,
  input: SlideReviewInput,
  nowIso: string,
): number {
  const write = db.transaction(() => {
    const inserted = db
      .prepare(
        `INSERT INTO slide_reviews (slide_id, analysis_id, reviewer, decision,
           shadow_reading_json, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.slideId,
        input.analysisId,
        input.reviewer,
        input.decision,
        input.shadowReading ? JSON.stringify(input.shadowReading) : null,
        input.note,
        nowIso,
      );
    const id = Number(inserted.lastInsertRowid);
    appendAudit(
      db,
      {
        actor: input.reviewer,
        action: 'review.slide.recorded',
        slideId: input.slideId,
        analysisId: input.analysisId,
        details: {
          reviewId: id,
          decision: input.decision,
          isShadow: input.shadowReading !== null,
        },
      },
      nowIso,
    );
    return id;
  });
  return write.immediate();
}

/** Stores a region decision and its audit entry; returns the new row's id. */
export function insertRoiReview(
  db: Database,
  input: RoiReviewInput,
  nowIso: string,
): number {
  const write = db.transaction(() => {
    const inserted = db
      .prepare(
        `INSERT INTO roi_reviews (analysis_id, roi_id, reviewer, decision, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.analysisId,
        input.roiId,
        input.reviewer,
        input.decision,
        input.note,
        nowIso,
      );
    const id = Number(inserted.lastInsertRowid);
    appendAudit(
      db,
      {
        actor: input.reviewer,
        action: 'review.roi.recorded',
        analysisId: input.analysisId,
        details: { reviewId: id, roiId: input.roiId, decision: input.decision },
      },
      nowIso,
    );
    return id;
  });
  return write.immediate();
}

interface SlideReviewRow {
  id: number;
  slide_id: number;
  analysis_id: number | null;
  reviewer: string;
  decision: ReviewDecision;
  shadow_reading_json: string | null;
  note: string | null;
  created_at: string;
}

/** Every decision on the slide, oldest first (the last one is in force). */
export function listSlideReviews(db: Database, slideId: number): SlideReview[] {
  const rows = db
    .prepare('SELECT * FROM slide_reviews WHERE slide_id = ? ORDER BY id')
    .all(slideId) as SlideReviewRow[];
  return rows.map((row) => ({
    id: row.id,
    slideId: row.slide_id,
    analysisId: row.analysis_id,
    reviewer: row.reviewer,
    decision: row.decision,
    shadowReading: row.shadow_reading_json
      ? (JSON.parse(row.shadow_reading_json) as Record<string, unknown>)
      : null,
    note: row.note,
    createdAt: row.created_at,
  }));
}

/** Every decision on the analysis's regions, oldest first. */
export function listRoiReviews(db: Database, analysisId: number): RoiReview[] {
  const rows = db
    .prepare(
      `SELECT id, analysis_id AS analysisId, roi_id AS roiId, reviewer, decision, note,
         created_at AS createdAt FROM roi_reviews WHERE analysis_id = ? ORDER BY id`,
    )
    .all(analysisId) as RoiReview[];
  return rows;
}
