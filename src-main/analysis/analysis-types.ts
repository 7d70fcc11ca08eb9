/**
 * What an analysis job takes and returns. Free of Electron and of the command
 * line, so the same job runs under the CLI, a forked Node process and an Electron
 * utility process.
 */
import type { Rect } from '../../src-shared/geometry';
import type { BundleIdentity } from '../store/store-types';
import type { Mpp } from '../../src-shared/slide-types';
import type { ProgressListener } from './analysis-progress';
import type { StageTimes } from './stage-clock';

/** One job: a slide, where to store results, which bundle, and how. */
export interface AnalysisOptions {
  slidePath: string;
  dbPath: string;
  /** Bundle folder; defaults to the embedded default bundle. */
  bundlePath?: string;
  /** Micrometres per level-0 pixel supplied by the user; recorded with source `user`. */
  userMppX?: number;
  /**
   * Whether `userMppX` may replace a different pixel size the slide records (without
   * this, such a contradiction is refused).
   */
  isMppOverrideAllowed?: boolean;
  /** Analyse only this level-0 rectangle instead of the whole tissue. */
  regionBase?: Rect;
  /** Start a new analysis even when an identical one is done or could be resumed. */
  isForced?: boolean;
  /** ONNX Runtime threads per operator; default: see `thread-plan.ts`. */
  intraOpThreads?: number;
  /** Tiles per inference batch (also the commit unit); default 4. */
  batchSize?: number;
  /**
   * Worker threads that post-process and assess tiles while the next batch is
   * inferred; 0 does it on the calling thread. Default: see `thread-plan.ts`.
   */
  finishingThreads?: number;
  /**
   * Largest size the results database may grow to during this job, bytes; past it
   * the job stops with `STORE_DISK_FULL` as on a full disk (a quota for shared
   * workstations). Default: no limit beyond the disk.
   */
  maxDatabaseBytes?: number;
  /** Skip the tissue mask and analyse every tile of the region (tests, benchmarks). */
  isTissueFilterDisabled?: boolean;
  /**
   * Site profile JSON file (`src-shared/site-profile.ts`) whose temperatures and
   * thresholds the job applies; defaults to the cold-start profile. The profile is
   * part of the analysis parameters: another profile makes another analysis.
   */
  siteProfilePath?: string;
  /**
   * ONNX Runtime execution providers in order of preference (`cuda`, `dml`, `coreml`,
   * `cpu`); each is probed first, and one that does not work is skipped with a
   * warning. CPU always closes the list. Default: CPU only.
   */
  executionProviders?: string[];
}

/** Signal to cancel and a listener for progress. */
export interface AnalysisHooks {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** How inference ran in one job. */
export interface InferenceReport {
  /** Providers the sessions were created with, in order; always ends with `cpu`. */
  executionProviders: string[];
  /**
   * Tiles each graph of the bundle ran on in this job, by role (`model`, or
   * `backbone` and `heads`). A two-stage re-analysis that found cached backbone
   * outputs shows fewer backbone tiles than heads tiles.
   */
  graphTilesRun: Partial<Record<'model' | 'backbone' | 'heads', number>>;
  /** Tiles whose backbone outputs came from the embedding cache. */
  cachedTileCount: number;
}

/** How a job ended. `already-done`: an identical finished analysis was reused. */
export type AnalysisEnd = 'done' | 'cancelled' | 'already-done';

/** What a job reports when it ends (it throws typed errors on failure). */
export interface AnalysisOutcome {
  end: AnalysisEnd;
  analysisId: number;
  /** The bundle the analysis ran with, with the hash over its files. */
  bundle: BundleIdentity;
  /** Tiles of the plan (after the tissue filter). */
  tilesTotal: number;
  /** Tiles this run processed (the rest were committed by earlier runs). */
  tilesRun: number;
  /** Nuclei stored by the analysis, all runs together. */
  nucleusCount: number;
  /** Stored nuclei per type name (`unclassified` for untyped nuclei). */
  countsByType: Record<string, number>;
  mpp: Mpp;
  /**
   * The level-0 region analysed and the one asked for, when `regionBase` was given
   * (they differ where the asked region reached past the slide's edge).
   */
  region: { analysed: Rect; asked: Rect } | null;
  durationMs: number;
  stageTimesMs: StageTimes;
  /** Highest resident set size seen during the run, bytes. */
  peakRssBytes: number;
  /**
   * Slide verdict and reasons, when triage ran; `regionReasons` says, per reason, how
   * many regions gave it and its largest measure, so the slide's reasons can be traced.
   */
  triage: { verdict: string; reasons: string[]; regionReasons: string[] } | null;
  /** How inference ran; `null` when the job opened no inference (`already-done`). */
  inference: InferenceReport | null;
}
