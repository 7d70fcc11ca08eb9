/**
 * The result store: one SQLite database per workstation holding slides,
 * analyses, per-tile results and nuclei, cached embeddings, reviews and the
 * audit trail. Every method converts driver errors into typed store errors
 * (`STORE_DISK_FULL`, `STORE_LOCKED`, `STORE_FAILED`, ...).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { AppError, type ErrorCode } from '../../src-shared/errors';
import type { Rect } from '../../src-shared/geometry';
import type { Mpp } from '../../src-shared/slide-types';
import { createLogger } from '../logging/logger';
import { slideRef } from '../logging/slide-ref';
import * as analyses from './analyses-repo';
import {
  isHeldBy,
  readClaim,
  refreshClaim,
  releaseClaim,
  type Claimant,
} from './analysis-claims';
import { endAnalysisRun, startAnalysisRun, type StartedRun } from './analysis-runs';
import { openDatabase, type OpenDatabaseOptions } from './database';
import { EmbeddingCacheStore } from './embedding-store';
import type { EmbeddingCacheBatch } from './embedding-cache';
import * as queries from './nuclei-queries';
import type { NucleusDetail, ViewportNuclei } from './nuclei-queries';
import type { NucleusDensity } from './density-batches';
import { ReviewLog } from './review-log';
import * as slides from './slides-repo';
import { withStoreErrors } from './store-errors';
import type {
  AnalysisInput,
  AnalysisRecord,
  SlideInput,
  SlideRecord,
} from './store-types';
import type { TileResultInput, TileSummary } from './store-types';
import { commitTiles, type CommitSummary } from './tile-commit';
import { listTileSummaries, iterateNucleiChunks, type StoredChunk } from './tile-reads';

const log = createLogger('store');

/** Options of {@link openStore}. */
export type OpenStoreOptions = OpenDatabaseOptions & {
  /** Clock for timestamps (tests pin it); defaults to the system clock. */
  now?: () => Date;
  /**
   * The process this connection claims analyses for; defaults to this one (tests
   * stand in for another process).
   */
  claimant?: Claimant;
};

/** Opens (creating and migrating as needed) the result store at `dbPath`. */
export function openStore(dbPath: string, options: OpenStoreOptions = {}): ResultStore {
  const db = openDatabase(dbPath, options);
  const claimant = options.claimant ?? { host: hostname(), pid: process.pid };
  return new ResultStore(db, options.now ?? (() => new Date()), claimant);
}

/**
 * Opens a results database that must already exist, for commands that only read
 * results: a mistyped path fails instead of creating an empty database there.
 */
export function openExistingStore(dbPath: string): ResultStore {
  if (!existsSync(dbPath)) {
    throw new AppError(
      'STORE_NOT_FOUND',
      'There is no results database at the --db path given. Check the path, or run ' +
        '`analyze` on the slide with the same --db first.',
    );
  }
  return openStore(dbPath);
}

/**
 * Typed access to the results database; see the module comment. One instance
 * per connection; better-sqlite3 is synchronous, so calls never interleave.
 */
export class ResultStore {
  private readonly classCounts = new Map<number, number>();
  /** Pathologists' decisions and the append-only audit trail. */
  readonly reviews: ReviewLog;
  /** Cached backbone outputs, reused when only heads or thresholds change. */
  readonly embeddings: EmbeddingCacheStore;

  constructor(
    /** The connection; exposed for modules that add their own tables by migration. */
    readonly db: Database.Database,
    private readonly now: () => Date,
    /** The process on whose behalf this connection claims and commits analyses. */
    readonly claimant: Claimant,
  ) {
    const nowIso = () => this.nowIso();
    this.reviews = new ReviewLog(db, nowIso);
    this.embeddings = new EmbeddingCacheStore(db, nowIso);
  }

  private nowIso(): string {
    return this.now().toISOString();
  }

  /**
   * SQLite's `quick_check`: `'ok'`, or the first problems found. Cheap enough
   * to run after an unclean shutdown, before resuming an analysis.
   */
  checkIntegrity(): string {
    return withStoreErrors('check the results database', () => {
      const problems = this.db.pragma('quick_check', { simple: false }) as Array<{
        quick_check: string;
      }>;
      return problems.map((row) => row.quick_check).join('; ');
    });
  }

  /** Closes the connection; the store must not be used afterwards. */
  close(): void {
    this.db.close();
  }

  /** Registers the slide, or refreshes its path and last-opened time if known. */
  upsertSlide(input: SlideInput): SlideRecord {
    const slide = withStoreErrors('record the slide', () =>
      slides.upsertSlide(this.db, input, this.nowIso()),
    );
    log.info('store.slide.upserted', {
      slideRef: slideRef(slide.id),
      format: slide.format,
    });
    return slide;
  }

  /** The slide with this content id, or `null` if this workstation never saw it. */
  findSlideByContentId(contentId: string): SlideRecord | null {
    return withStoreErrors('look up the slide', () =>
      slides.findSlideByContentId(this.db, contentId),
    );
  }

  /** The slide with this id (`STORE_NOT_FOUND` if absent). */
  getSlide(slideId: number): SlideRecord {
    return withStoreErrors('read the slide', () => slides.getSlide(this.db, slideId));
  }

  /** Every slide, most recently opened first. */
  listSlides(): SlideRecord[] {
    return withStoreErrors('list the slides', () => slides.listSlides(this.db));
  }

  /** Records a calibration for a slide, e.g. one the user entered. */
  setSlideMpp(slideId: number, mpp: Mpp): SlideRecord {
    return withStoreErrors('record the slide calibration', () =>
      slides.setSlideMpp(this.db, slideId, mpp),
    );
  }

  /** Starts a new analysis in status `running`. */
  createAnalysis(input: AnalysisInput): AnalysisRecord {
    const analysis = withStoreErrors('start the analysis', () =>
      analyses.createAnalysis(this.db, input, this.nowIso()),
    );
    log.info('store.analysis.created', {
      slideRef: slideRef(input.slideId),
      analysisId: analysis.id,
      bundleId: input.bundle.id,
      bundleVersion: input.bundle.version,
      plannedTileCount: input.plannedTileCount,
    });
    return analysis;
  }

  /**
   * Starts a run: reopens the newest unfinished analysis with the same slide,
   * bundle build and parameters (when `canResume`) or creates one, and claims it
   * for this connection's process. Throws `ANALYSIS_IN_PROGRESS` when another live
   * process is running the analysis to continue.
   */
  startAnalysisRun(input: AnalysisInput, options: { canResume: boolean }): StartedRun {
    const run = withStoreErrors('start the analysis', () =>
      startAnalysisRun(this.db, {
        input,
        canResume: options.canResume,
        claimant: this.claimant,
        now: this.now(),
      }),
    );
    log.info(run.isResumed ? 'store.analysis.reopened' : 'store.analysis.created', {
      slideRef: slideRef(input.slideId),
      analysisId: run.analysis.id,
      bundleId: input.bundle.id,
      bundleVersion: input.bundle.version,
      plannedTileCount: input.plannedTileCount,
      committedTileCount: run.analysis.committedTileCount,
    });
    return run;
  }

  /**
   * Refreshes this process's claim on the analysis between batches. Returns whether
   * the process still holds it (or nobody claims it).
   */
  refreshAnalysisClaim(analysisId: number): boolean {
    return withStoreErrors('refresh the claim on the analysis', () => {
      const claim = { analysisId, claimant: this.claimant, nowIso: this.nowIso() };
      return refreshClaim(this.db, claim) === null;
    });
  }

  /** Drops this process's claim on the analysis, if it still holds one. */
  releaseAnalysisClaim(analysisId: number): void {
    withStoreErrors('release the claim on the analysis', () => {
      // Reading first spares waiting for the write lock when there is nothing to drop.
      const claim = readClaim(this.db, analysisId);
      if (claim && isHeldBy(claim, this.claimant))
        releaseClaim(this.db, analysisId, this.claimant);
    });
  }

  /**
   * The newest unfinished (`running`, `cancelled` or `failed`) analysis with the
   * same slide, bundle build and parameters, or `null`.
   */
  findResumableAnalysis(
    input: Pick<AnalysisInput, 'slideId' | 'bundle' | 'parameters'>,
  ): AnalysisRecord | null {
    return withStoreErrors('look for an analysis to resume', () =>
      analyses.findResumableAnalysis(this.db, input),
    );
  }

  /** The analysis with this id (`STORE_NOT_FOUND` if absent). */
  getAnalysis(analysisId: number): AnalysisRecord {
    return withStoreErrors('read the analysis', () =>
      analyses.getAnalysis(this.db, analysisId),
    );
  }

  /** Analyses of a slide, newest first. */
  listAnalyses(slideId: number): AnalysisRecord[] {
    return withStoreErrors('list the analyses', () =>
      analyses.listAnalyses(this.db, slideId),
    );
  }

  /** Of `tileIndices`, those not yet committed for the analysis, in the given order. */
  pendingTiles(analysisId: number, tileIndices: Iterable<number>): number[] {
    const committed = withStoreErrors('read the analysis progress', () =>
      analyses.committedTileIndices(this.db, analysisId),
    );
    return [...tileIndices].filter((tileIndex) => !committed.has(tileIndex));
  }

  /**
   * Commits finished tiles (rows, nuclei, spatial index and, optionally, cached
   * embeddings) in one transaction: all of the batch or none of it. On
   * `STORE_DISK_FULL` or `STORE_LOCKED` the batch is rolled back and everything
   * committed before stays.
   */
  commitTileBatch(
    analysisId: number,
    tiles: TileResultInput[],
    options: { embeddingCache?: EmbeddingCacheBatch } = {},
  ): CommitSummary {
    return withStoreErrors('save the tile results', () =>
      commitTiles(this.db, {
        analysisId,
        classCount: this.classCountOf(analysisId),
        tiles,
        embeddingCache: options.embeddingCache,
        claimant: this.claimant,
        nowIso: this.nowIso(),
      }),
    );
  }

  private classCountOf(analysisId: number): number {
    let count = this.classCounts.get(analysisId);
    if (count === undefined) {
      const classes = analyses.getAnalysis(this.db, analysisId).nucleusClasses;
      count = classes.length === 0 ? 0 : classes.length + 1;
      this.classCounts.set(analysisId, count);
    }
    return count;
  }

  /** Marks a running analysis `done` and drops this process's claim on it. */
  finishAnalysis(analysisId: number): AnalysisRecord {
    return this.closeAnalysis(analysisId, 'done', null);
  }

  /**
   * Marks a running analysis `failed` with the error code the user was shown, and
   * drops this process's claim; a later identical run continues it.
   */
  failAnalysis(analysisId: number, errorCode: ErrorCode): AnalysisRecord {
    return this.closeAnalysis(analysisId, 'failed', errorCode);
  }

  /** Marks a running analysis `cancelled` (by the user); drops this process's claim. */
  cancelAnalysis(analysisId: number): AnalysisRecord {
    return this.closeAnalysis(analysisId, 'cancelled', 'ANALYSIS_CANCELLED');
  }

  private closeAnalysis(
    analysisId: number,
    status: 'done' | 'failed' | 'cancelled',
    errorCode: ErrorCode | null,
  ): AnalysisRecord {
    const analysis = withStoreErrors('close the analysis', () =>
      endAnalysisRun(this.db, analysisId, {
        status,
        errorCode,
        claimant: this.claimant,
        nowIso: this.nowIso(),
      }),
    );
    log.info('store.analysis.closed', {
      analysisId,
      status,
      errorCode,
      committedTileCount: analysis.committedTileCount,
      nucleusCount: analysis.nucleusCount,
    });
    return analysis;
  }

  /** Nuclei chunks of the analysis intersecting `baseRect` (level-0 px), as one buffer. */
  queryNucleiInViewport(analysisId: number, baseRect: Rect): ViewportNuclei {
    return withStoreErrors('read the nuclei', () =>
      queries.queryNucleiInViewport(this.db, analysisId, baseRect),
    );
  }

  /** Per-tile counts by type, within `baseRect` (level-0 px) or the whole slide (`null`). */
  queryNucleusDensity(analysisId: number, baseRect: Rect | null): NucleusDensity {
    return withStoreErrors('read the nucleus density', () =>
      queries.queryNucleusDensity(this.db, analysisId, baseRect),
    );
  }

  /** The nucleus under a level-0 point, or `null`. */
  nucleusAt(
    analysisId: number,
    basePoint: { x: number; y: number },
  ): NucleusDetail | null {
    return withStoreErrors('read the nucleus', () =>
      queries.nucleusAt(this.db, analysisId, basePoint),
    );
  }

  /** Summaries of every committed tile, in tile order. */
  listTileSummaries(analysisId: number): TileSummary[] {
    return withStoreErrors('read the tile results', () =>
      listTileSummaries(this.db, analysisId),
    );
  }

  /** Streams the analysis's nuclei chunks in tile order, a few tiles in memory at a time. */
  iterateNucleiChunks(analysisId: number): IterableIterator<StoredChunk> {
    return iterateNucleiChunks(this.db, analysisId);
  }
}
