import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultStore } from '../../../src-main/store/index';
import { makeStore, seedAnalysis } from './store-fixtures';

let store: ResultStore;
let cleanup: () => void;
let dbPath: string;
let slideId: number;
let analysisId: number;

beforeEach(() => {
  ({ store, cleanup, dbPath } = makeStore());
  const seeded = seedAnalysis(store);
  slideId = seeded.slide.id;
  analysisId = seeded.analysis.id;
});
afterEach(() => cleanup());

const review = (decision: 'agree' | 'disagree' | 'uncertain') => ({
  slideId,
  analysisId,
  reviewer: 'dr.a',
  decision,
  shadowReading: null,
  note: null,
});

describe('ReviewLog', () => {
  it('keeps every slide decision so the latest is in force and earlier ones stay', () => {
    store.reviews.recordSlideReview(review('uncertain'));
    store.reviews.recordSlideReview(review('agree'));

    const decisions = store.reviews.listSlideReviews(slideId).map((r) => r.decision);
    expect(decisions).toEqual(['uncertain', 'agree']);
  });

  it('writes an audit entry with the bundle and site profile of the analysis', () => {
    store.reviews.recordSlideReview(review('disagree'));

    const [entry] = store.reviews.listAudit({ slideId });
    expect(entry).toMatchObject({
      actor: 'dr.a',
      action: 'review.slide.recorded',
      analysisId,
      bundleId: 'test-bundle',
      bundleVersion: '1.2.3',
      siteProfileVersion: 'site-a@3',
    });
  });

  it('records a region decision with its audit entry', () => {
    store.reviews.recordRoiReview({
      analysisId,
      roiId: 4,
      reviewer: 'dr.b',
      decision: 'agree',
      note: 'ok',
    });
    expect(store.reviews.listRoiReviews(analysisId)[0]).toMatchObject({
      roiId: 4,
      note: 'ok',
    });
    expect(store.reviews.listAudit()[0]!.action).toBe('review.roi.recorded');
  });

  it('refuses a decision outside the known list', () => {
    const bad = { ...review('agree'), decision: 'maybe' as 'agree' };
    expect(() => store.reviews.recordSlideReview(bad)).toThrow(/not a review decision/);
  });

  it('restores NORMAL sync after a durable write', () => {
    store.reviews.recordSlideReview(review('agree'));
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('refuses to delete a slide that carries a review', () => {
    store.reviews.recordSlideReview(review('agree'));
    expect(() =>
      store.db.prepare('DELETE FROM slides WHERE id = ?').run(slideId),
    ).toThrow(/FOREIGN KEY/);
  });
});

describe('audit_log', () => {
  it('aborts an UPDATE of an audit row', () => {
    store.reviews.appendAudit({
      actor: 'system',
      action: 'analysis.started',
      analysisId,
    });
    expect(() =>
      store.db.prepare("UPDATE audit_log SET actor = 'mallory'").run(),
    ).toThrow(/append-only/);
  });

  it('aborts a DELETE of an audit row, even from another connection', () => {
    store.reviews.appendAudit({
      actor: 'system',
      action: 'analysis.started',
      analysisId,
    });
    const other = new Database(dbPath);
    expect(() => other.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    other.close();
    expect(store.reviews.listAudit()).toHaveLength(1);
  });

  it('chains each row to the previous one so the chain verifies', () => {
    for (const action of ['a.one', 'a.two', 'a.three']) {
      store.reviews.appendAudit({ actor: 'system', action, details: { n: action } });
    }
    const entries = store.reviews.listAudit();
    expect(entries[1]!.previousHash).toBe(entries[0]!.rowHash);
    expect(store.reviews.verifyAuditChain()).toBeNull();
  });

  it('detects a row edited with the triggers dropped', () => {
    for (const action of ['a.one', 'a.two', 'a.three']) {
      store.reviews.appendAudit({ actor: 'system', action });
    }
    store.db.exec('DROP TRIGGER audit_log_no_update');
    store.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = 2").run();

    expect(store.reviews.verifyAuditChain()).toBe(2);
  });
});
