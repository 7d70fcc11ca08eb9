/**
 * Types of the uncertainty and triage module: what the pipeline hands in per tile
 * and per nucleus, and what comes back and is stored.
 */
import type { Rect, Point } from '../../src-shared/geometry';
import type { RoiPriority, Verdict, VerdictReason } from '../../src-shared/verdict';

/** Per-tile checks that do not need the model. */
export const QUALITY_FLAGS = [
  'no-tissue',
  'blur',
  'pen-ink',
  'mpp-out-of-range',
  'unreadable',
  'stain-out-of-range',
] as const;

/** One of {@link QUALITY_FLAGS}. */
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

/** 8-bit RGB pixels, interleaved, row-major (same layout as the slide readers return). */
export interface RgbTile {
  data: Uint8Array;
  widthPx: number;
  heightPx: number;
}

/** One nucleus as post-processing describes it, for typing uncertainty. */
export interface NucleusEvidence {
  /** Centroid in level-0 pixels. */
  centroidBase: Point;
  /**
   * Mean temperature-scaled type probabilities over the nucleus pixels, one per
   * listed class in `nucleusClasses` order (background excluded, renormalised).
   * `null` when the bundle has no type head.
   */
  classProbabilities: readonly number[] | null;
}

/** Everything {@link assessTile} needs about one analysed tile. */
export interface TileEvidence {
  /** Row-major index of the tile in the analysis grid. */
  tileIndex: number;
  /** The tile's core (the part that owns nuclei), in level-0 pixels. */
  tileBaseRect: Rect;
  /** Map edge in pixels at the model's target mpp (maps are square). */
  mapSizePx: number;
  /** Temperature-scaled nucleus probability per map pixel (`mapSizePx`^2, row-major). */
  npProbabilities: Float32Array | null;
  /**
   * Temperature-scaled type probabilities, channel-major `[1 + classes, H, W]`,
   * channel 0 background; `null` when the bundle has no type head. Read only at
   * nucleus pixels (`npProbabilities` >= `NUCLEUS_PIXEL_THRESHOLD`): elsewhere they
   * may be left 0.
   */
  ntProbabilities: Float32Array | null;
  /** Pooled embedding of the tile; `null` when the bundle exposes none. */
  embedding: Float32Array | null;
  /** Mean of the backbone's patch tokens (two-stage bundles only), else `null`. */
  tokenMeanEmbedding: Float32Array | null;
  /** RGB of the tile as read (any size); `null` when it could not be read. */
  rgbTile: RgbTile | null;
  /** Fraction of the tile covered by tissue (0 to 1) from the tissue mask. */
  tissueFraction: number;
  /** Nuclei whose centroid lies in the tile core. */
  nuclei: readonly NucleusEvidence[];
}

/** Per-tile result; stored and later aggregated into region cells. */
export interface TileUncertainty {
  tileIndex: number;
  tileBaseRect: Rect;
  tissueFraction: number;
  /** Mean binary entropy of the nucleus map over all pixels, normalised to 0..1 (bits). */
  npEntropyMean: number | null;
  /** Mean normalised type entropy over nucleus pixels (p >= 0.5), 0..1; `null` if none. */
  ntEntropyMean: number | null;
  /** Number of pixels the type entropy was averaged over. */
  ntEntropyPixels: number;
  /** Mahalanobis distance of the embedding to the bundle reference; `null` if unknown. */
  oodDistance: number | null;
  /** Whether `oodDistance` is beyond the active threshold. */
  isOod: boolean;
  /** Quality checks that failed. */
  flags: QualityFlag[];
  /** Laplacian variance of the tile's grey levels; `null` when not measured. */
  laplacianVariance: number | null;
  nucleusCount: number;
  /** Nuclei that have type probabilities (and so a prediction set). */
  typedNucleusCount: number;
  /** Count per class index (1-based, as in `nucleusClasses`); argmax type. */
  countsByClass: Record<number, number>;
  /** Nuclei typed neoplastic or epithelial (the classes whose PanNuke names say so). */
  neoplasticCount: number;
  /** Sum of prediction-set sizes over the tile's typed nuclei. */
  setSizeSum: number;
  /** Conformal prediction set per input nucleus (class indices), same order. */
  nucleusSets: number[][];
}

/** Measures aggregated over the tiles whose centre lies in a region (cell or window). */
export interface RegionMeasures {
  tileCount: number;
  tissueTileCount: number;
  npEntropyMean: number | null;
  ntEntropyMean: number | null;
  meanSetSize: number | null;
  oodDistanceMax: number | null;
  oodTileFraction: number;
  qualityFailureFraction: number;
  stainOutlierFraction: number;
  /** Tiles whose slide mpp was too coarse for the model. */
  mppOutOfRangeTileCount: number;
  nucleusCount: number;
  typedNucleusCount: number;
  neoplasticCount: number;
}

/** One cell of the region grid (level-0 pixels) with its measures and verdict. */
export interface RegionCell extends RegionMeasures {
  col: number;
  row: number;
  cellBaseRect: Rect;
  verdict: Verdict;
  reasons: VerdictReason[];
}

/** The parts an ROI score is made of (each 0..1) and their weights, for the UI. */
export interface RoiScoreParts {
  uncertainty: number;
  density: number;
  neoplasticFraction: number;
  weights: { uncertainty: number; density: number; neoplasticFraction: number };
}

/** A ranked candidate region for the worklist. */
export interface RankedRoi {
  rank: number;
  roiBaseRect: Rect;
  score: number;
  parts: RoiScoreParts;
  priority: RoiPriority;
  verdict: Verdict;
  nucleusCount: number;
}

/** The slide-level triage shown on the summary page. */
export interface SlideSummary {
  analysisId: number;
  /** 1 for the first triage of the analysis; re-triage with another profile adds one. */
  triageVersion: number;
  verdict: Verdict;
  reasons: VerdictReason[];
  organ: OrganCall;
  countsByClass: Record<number, number>;
  nucleusCount: number;
  regionCounts: Record<Verdict, number>;
  topRois: RankedRoi[];
  settings: AppliedSettings;
}

/** The organ head's answer, or why there is none. */
export type OrganCall =
  | { hasOrganHead: false; text: 'no organ head' }
  | {
      hasOrganHead: true;
      organ: string;
      probability: number;
      /** Conformal organ set; `null` when the bundle carries no organ calibration scores. */
      predictionSet: string[] | null;
    };

/** The settings an analysis was triaged with, stored with it for audit. */
export interface AppliedSettings {
  profileSiteId: string;
  profileVersion: number;
  isColdStart: boolean;
  temperatures: { np: number; nt: number | null; organ: number | null };
  temperatureSource: {
    np: TemperatureSource;
    nt: TemperatureSource;
    organ: TemperatureSource;
  };
  oodThreshold: number | null;
  oodThresholdSource:
    'profile-override' | 'profile-quantile' | 'bundle-quantile' | 'none';
  alpha: number;
  conformalScore: 'lac' | 'aps';
  isClassConditional: boolean;
  conformalQuantile: number | null;
  reviewThresholds: { npEntropy: number; ntEntropy: number; meanSetSize: number };
  gridCellSizeMicrons: number;
}

/** Where a temperature came from. */
export type TemperatureSource = 'bundle' | 'profile' | 'none';
