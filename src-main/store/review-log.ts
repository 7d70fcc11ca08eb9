/**
 * Reviews and the audit trail, written with `synchronous = FULL`: a
 * pathologist's decision must survive a power cut the moment the call returns,
 * unlike tile results, which a resume can recompute.
 */
import type { Database } from 'better-sqlite3';
import { appendAudit, listAudit, verifyAuditChain } from './audit-log';
import type { AuditEntry, AuditEventInput } from './audit-log';
import * as reviews from './reviews-repo';
import type {
  RoiReview,
  RoiReviewInput,
  SlideReview,
  SlideReviewInput,
} from './reviews-repo';
import { StoreError, withStoreErrors } from './store-errors';

function assertDecision(decision: string): void {
  if (!(reviews.REVIEW_DECISIONS as readonly string[]).includes(decision)) {
    throw new StoreError(
      `"${decision}" is not a review decision; expected one of ${reviews.REVIEW_DECISIONS.join(', ')}.`,
    );
  }
}

/** Decisions on slides and regions, and the audit log; reached as `store.reviews`. */
export class ReviewLog {
  constructor(
    private readonly db: Database,
    private readonly nowIso: () => string,
  ) {}

  private durably<T>(body: () => T): T {
    this.db.pragma('synchronous = FULL');
    try {
      return body();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /** Records a slide decision and its audit entry in one transaction; returns its id. */
  recordSlideReview(input: SlideReviewInput): number {
    return withStoreErrors('save the review', () => {
      assertDecision(input.decision);
      return this.durably(() => reviews.insertSlideReview(this.db, input, this.nowIso()));
    });
  }

  /** Records a region decision and its audit entry in one transaction; returns its id. */
  recordRoiReview(input: RoiReviewInput): number {
    return withStoreErrors('save the region review', () => {
      assertDecision(input.decision);
      return this.durably(() => reviews.insertRoiReview(this.db, input, this.nowIso()));
    });
  }

  /** Decisions on a slide, oldest first (the last one is in force). */
  listSlideReviews(slideId: number): SlideReview[] {
    return withStoreErrors('read the reviews', () =>
      reviews.listSlideReviews(this.db, slideId),
    );
  }

  /** Decisions on an analysis's regions, oldest first. */
  listRoiReviews(analysisId: number): RoiReview[] {
    return withStoreErrors('read the region reviews', () =>
      reviews.listRoiReviews(this.db, analysisId),
    );
  }

  /** Appends an audit event (bundle and profile are taken from its analysis). */
  appendAudit(event: AuditEventInput): AuditEntry {
    return withStoreErrors('write the audit log', () =>
      this.durably(() =>
        this.db.transaction(() => appendAudit(this.db, event, this.nowIso())).immediate(),
      ),
    );
  }

  /** Audit entries, oldest first, optionally only one slide's. */
  listAudit(filter: { slideId?: number } = {}): AuditEntry[] {
    return withStoreErrors('read the audit log', () => listAudit(this.db, filter));
  }

  /** Id of the first audit row whose hash chain is broken, or `null` when intact. */
  verifyAuditChain(): number | null {
    return withStoreErrors('verify the audit log', () => verifyAuditChain(this.db));
  }
}
