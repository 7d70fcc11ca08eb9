/**
 * Records the result store reads and writes. Coordinates are level-0 pixels of
 * the slide unless a name says otherwise; timestamps are ISO 8601 UTC strings.
 */
import type { Rect } from '../../src-shared/geometry';
import type { Mpp } from '../../src-shared/slide-types';

/** A slide known to this workstation, identified by its content, not its path. */
export interface SlideRecord {
  id: number;
  /** {@link computeSlideContentId} of the file; the identity of the slide. */
  contentId: string;
  /** Where the file was last opened from; for reopening only, never logged or exported. */
  lastPath: string;
  format: string;
  widthPx: number;
  heightPx: number;
  /** `null` when neither the file nor the user gave a calibration. */
  mpp: Mpp | null;
  addedAt: string;
  lastOpenedAt: string;
}

/** What {@link ResultStore.upsertSlide} needs to register or refresh a slide. */
export interface SlideInput {
  contentId: string;
  path: string;
  format: string;
  widthPx: number;
  heightPx: number;
  mpp: Mpp | null;
}

/**
 * Lifecycle of an analysis. `running`, `cancelled` and `failed` ones are unfinished:
 * an identical later run continues from their committed tiles. `done` is final.
 */
export type AnalysisStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** A nucleus class of the bundle that produced an analysis (index 0 is unclassified). */
export interface StoredNucleusClass {
  index: number;
  name: string;
  /** `#rrggbb`. */
  color: string;
}

/** The model bundle an analysis ran with. */
export interface BundleIdentity {
  id: string;
  version: string;
  /** sha256 over the bundle's file hashes, so two builds of one version differ. */
  sha256: string;
}

/** What {@link ResultStore.createAnalysis} records about a new run. */
export interface AnalysisInput {
  slideId: number;
  bundle: BundleIdentity;
  /** Every parameter that changes the result (tile size, overlap, mpp, thresholds...). */
  parameters: Record<string, unknown>;
  nucleusClasses: StoredNucleusClass[];
  appVersion: string;
  /** Version of the site calibration profile in force; `null` before a site has one. */
  siteProfileVersion: string | null;
  /** Whether that profile is the cold-start one; absent or `null` when not recorded. */
  isSiteProfileColdStart?: boolean | null;
  /** Number of tiles the analysis plans to process, for progress. */
  plannedTileCount: number;
}

/** One analysis run of one slide. */
export interface AnalysisRecord {
  id: number;
  slideId: number;
  bundle: BundleIdentity;
  parameters: Record<string, unknown>;
  /** sha256 of the canonical JSON of `parameters`; equal hashes mean equal runs. */
  parametersSha256: string;
  nucleusClasses: StoredNucleusClass[];
  appVersion: string;
  siteProfileVersion: string | null;
  status: AnalysisStatus;
  /** An `ErrorCode` when `status` is `failed`, else `null`. */
  errorCode: string | null;
  plannedTileCount: number;
  committedTileCount: number;
  /** Exact number of nuclei committed so far. */
  nucleusCount: number;
  startedAt: string;
  finishedAt: string | null;
}

/** One detected nucleus as the analysis hands it to the store. */
export interface NucleusInput {
  /** Closed or open ring of vertices in level-0 px, flat `[x0, y0, x1, y1, ...]`. */
  polygonBase: ArrayLike<number>;
  centroidBaseX: number;
  centroidBaseY: number;
  areaPx: number;
  /** Index into the analysis's nucleus classes; 0 when untyped. */
  typeIndex: number;
  /**
   * Temperature-scaled type probabilities indexed by class index: entry 0 is the
   * background channel, entry k the class with index k (so classes + 1 entries);
   * empty when the model is untyped.
   */
  typeProbabilities: ArrayLike<number>;
  /** Mean nucleus probability over the nucleus's pixels. */
  nucleusProbability: number;
  /** Mean entropy of the nucleus map over the nucleus, in nats. */
  nucleusEntropy: number;
  /** Mean entropy of the type map over the nucleus, in nats; 0 when untyped. */
  typeEntropy: number;
}

/** Summary of one finished tile: the unit of resume. */
export interface TileResultInput {
  /** Index of the tile in the analysis's tile grid (stable across resumes). */
  tileIndex: number;
  /** The tile's core (the area whose nuclei it owns), level-0 px. */
  baseRect: Rect;
  nuclei: NucleusInput[];
  /** Quality observations (blur, pen, tissue fraction...), stored as JSON. */
  qualityFlags: Record<string, unknown>;
  /** Pooled tile embedding; `null` when the bundle has none. */
  embedding: Float32Array | null;
}

/** A tile summary as stored. */
export interface TileSummary {
  tileIndex: number;
  baseRect: Rect;
  nucleusCount: number;
  /** Nuclei per class index (index 0 counts untyped nuclei). */
  countsByType: number[];
  meanNucleusProbability: number | null;
  meanNucleusEntropy: number | null;
  meanTypeEntropy: number | null;
  qualityFlags: Record<string, unknown>;
  embedding: Float32Array | null;
}
