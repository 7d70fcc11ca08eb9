/**
 * Public surface of the result store. Other modules import from here; the
 * files behind it are free to change.
 */
export {
  openExistingStore,
  openStore,
  ResultStore,
  type OpenStoreOptions,
} from './store';
export { defaultDatabasePath } from './default-path';
export { computeBundleSha256 } from './canonical-json';
export { computeSlideContentId, type SlideDimensions } from './slide-identity';
export {
  computeEmbeddingCacheKey,
  type CachedTileEmbedding,
  type EmbeddingCacheBatch,
  type EmbeddingCacheKeyInput,
} from './embedding-cache';
export {
  AnalysisInProgressError,
  AnalysisTakenOverError,
  StoreDiskFullError,
  StoreError,
  StoreLockedError,
  StoreNotFoundError,
  StoreSchemaTooNewError,
} from './store-errors';
export type { ViewportNuclei, NucleusDetail } from './nuclei-queries';
export type { NucleusDensity } from './density-batches';
export type { StoredChunk } from './tile-reads';
export type { CommitSummary } from './tile-commit';
export type { Claimant } from './analysis-claims';
export type { StartedRun } from './analysis-runs';
export type { AuditEntry, AuditEventInput } from './audit-log';
export {
  REVIEW_DECISIONS,
  type ReviewDecision,
  type RoiReview,
  type RoiReviewInput,
  type SlideReview,
  type SlideReviewInput,
} from './reviews-repo';
export type * from './store-types';
