/**
 * Removes a slide from the library: its stored analyses go with it, the file itself is
 * never touched. A slide a pathologist has reviewed stays: reviews are clinical
 * records and the audit trail must keep pointing at something.
 */
import { AppError } from '../../src-shared/errors';
import type { AppServices } from './app-services';

// TODO: removal is written against the store's tables here because the store has no
// remove operation yet - a schema change to slides or reviews must update this too.
const REVIEW_COUNT = `SELECT
  (SELECT COUNT(*) FROM slide_reviews WHERE slide_id = @slideId) +
  (SELECT COUNT(*) FROM roi_reviews r JOIN analyses a ON a.id = r.analysis_id
     WHERE a.slide_id = @slideId) AS n`;

/** Deletes the slide's record and results (`STORE_FAILED` if it has reviews). */
export function removeSlide(services: AppServices, slideId: number): void {
  const { store } = services;
  store.getSlide(slideId);

  const remove = store.db.transaction(() => {
    const { n } = store.db.prepare(REVIEW_COUNT).get({ slideId }) as { n: number };
    if (n > 0) {
      throw new AppError(
        'STORE_FAILED',
        'This slide has recorded reviews; it stays in the library to keep the clinical record.',
      );
    }
    store.db.prepare('DELETE FROM slides WHERE id = ?').run(slideId);
  });
  remove.immediate();

  store.reviews.appendAudit({ actor: services.actor, action: 'slide.removed', slideId });
}
