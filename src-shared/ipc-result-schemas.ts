/**
 * Schemas of analysis results as they cross IPC: progress, the slide summary, nuclei
 * for a viewport, uncertainty grids, ROIs, reviews and audit entries.
 *
 * `…Base` is level-0 pixels. Packed buffers are little-endian typed arrays; each
 * field's comment gives its element type and layout.
 */
import { z } from 'zod';
import {
  AnalysisStatusSchema,
  AppErrorInfoSchema,
  BinarySchema,
  IdSchema,
  MppSchema,
  PointBaseSchema,
  RectBaseSchema,
  VerdictReasonSchema,
  VerdictSchema,
} from './ipc-schemas';
import { ROI_PRIORITIES } from './verdict';

/** Progress of one analysis, polled by the UI about once a second. */
export const AnalysisProgressSchema = z.object({
  /** The run in the background process; `analysis:progress` and `analysis:cancel` take it. */
  jobId: IdSchema,
  /** The stored analysis the results belong to; `null` until the job has created it. */
  analysisId: IdSchema.nullable(),
  slideId: IdSchema,
  status: AnalysisStatusSchema,
  tilesDone: z.number().int().nonnegative(),
  tilesTotal: z.number().int().nonnegative(),
  nucleiStored: z.number().int().nonnegative(),
  tilesPerSecond: z.number().nonnegative(),
  /** `null` while the rate is unknown. */
  etaSeconds: z.number().nonnegative().nullable(),
  elapsedMs: z.number().nonnegative(),
  /** Why the analysis failed; `null` unless `status` is `failed`. */
  error: AppErrorInfoSchema.nullable(),
});

/** The model bundle an analysis ran with; `intendedUse` is always shown. */
export const BundleBriefSchema = z.object({
  id: z.string(),
  version: z.string(),
  kind: z.enum(['embedded-default', 'full']),
  intendedUse: z.enum(['pre-triage', 'full']),
  description: z.string(),
  /**
   * The bundle's nucleus classes from its manifest (`index` is the class index
   * nuclei carry; `pannuke` the PanNuke classes it maps to; `color` `#rrggbb`). The
   * viewer's legend and colours come from here; absent, it falls back to PanNuke's.
   */
  nucleusClasses: z
    .array(
      z.object({
        index: z.number().int().positive(),
        name: z.string(),
        pannuke: z.array(z.string()),
        color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
      }),
    )
    .optional(),
});

export const SLIDE_DECISIONS = ['agree', 'disagree', 'uncertain'] as const;

/** A pathologist's decision on a slide's triage; the reviewer is the OS user. */
export const SlideReviewSchema = z.object({
  reviewId: IdSchema,
  analysisId: IdSchema,
  decision: z.enum(SLIDE_DECISIONS),
  comment: z.string(),
  reviewer: z.string(),
  /** ISO 8601 (UTC). */
  recordedAt: z.string(),
});

/** Nucleus counts of one class over the whole slide (`classIndex` 0: untyped). */
export const ClassCountSchema = z.object({
  classIndex: z.number().int().nonnegative(),
  name: z.string(),
  count: z.number().int().nonnegative(),
  /** The class colour `#rrggbb` the analysis recorded from its bundle, when known. */
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
});

/** What a finished analysis says about the slide as a whole. */
export const AnalysisSummarySchema = z.object({
  analysisId: IdSchema,
  slideId: IdSchema,
  status: AnalysisStatusSchema,
  bundleId: z.string(),
  bundleVersion: z.string(),
  /** Intended use of that bundle; `null` when it is not the bundle loaded now. */
  intendedUse: z.enum(['pre-triage', 'full']).nullable(),
  /** `null` until the analysis is done. */
  verdict: VerdictSchema.nullable(),
  reasons: z.array(VerdictReasonSchema),
  /** Most probable organ; `null` when the bundle has no organ head. */
  organ: z.object({ name: z.string(), probability: z.number() }).nullable(),
  nucleusCount: z.number().int().nonnegative(),
  countsByClass: z.array(ClassCountSchema),
  regionCounts: z.object({
    reliable: z.number().int().nonnegative(),
    review: z.number().int().nonnegative(),
    outOfDomain: z.number().int().nonnegative(),
  }),
  /**
   * The site profile the triage ran with; `isColdStart` while its thresholds are the
   * conservative defaults, not yet fitted to the site. `null` without a triage.
   */
  siteProfile: z
    .object({
      siteId: z.string(),
      version: z.number().int().positive(),
      isColdStart: z.boolean(),
    })
    .nullable(),
  /** Calibration the analysis used (file or user); `null` when there was none. */
  mppUsed: MppSchema.nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  reviews: z.array(SlideReviewSchema),
});

/**
 * The nuclei of one analysis tile: `bytes` is one chunk in the columnar layout of
 * `nuclei-chunk.ts` (decode it with `decodeNucleiChunk`, draw it as is with WebGL).
 * Chunks are immutable once an analysis is done, so the UI may cache them by
 * `analysisId` and `tileIndex`.
 */
export const NucleiChunkSchema = z.object({
  tileIndex: z.number().int().nonnegative(),
  nucleusCount: z.number().int().nonnegative(),
  bytes: BinarySchema,
});

/**
 * Nucleus counts per analysis tile when zoomed out (the analysis tiles form a grid):
 * `tileRectsBase` is Float32Array(4 * tileCount), `[x, y, width, height]` per tile;
 * `countsByType` is Int32Array(tileCount * classCount), a row per tile, column 0
 * counting untyped nuclei.
 */
export const NucleiDensitySchema = z.object({
  kind: z.literal('density'),
  classCount: z.number().int().nonnegative(),
  tileCount: z.number().int().nonnegative(),
  tileRectsBase: BinarySchema,
  countsByType: BinarySchema,
  totalNuclei: z.number().int().nonnegative(),
});

/**
 * Nuclei in a viewport: polygons when zoomed in, counts per tile when zoomed out or
 * when the viewport holds more than `maxNuclei`.
 */
export const NucleiViewportSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('nuclei'),
    chunks: z.array(NucleiChunkSchema),
  }),
  NucleiDensitySchema,
]);

/** Everything the review panel shows about one nucleus. */
export const NucleusDetailSchema = z.object({
  /** The analysis tile that owns the nucleus and its position in that tile's chunk. */
  tileIndex: z.number().int().nonnegative(),
  indexInTile: z.number().int().nonnegative(),
  centroidBase: PointBaseSchema,
  contourBase: z.array(PointBaseSchema),
  areaBasePx: z.number().nonnegative(),
  /** `null` without mpp. */
  areaMicrons2: z.number().nonnegative().nullable(),
  classIndex: z.number().int().nonnegative().nullable(),
  className: z.string().nullable(),
  /**
   * Temperature-scaled type probabilities indexed by class index (entry c is class c):
   * per pixel the softmax with the background dropped and the classes renormalised,
   * averaged over the nucleus. Entry 0 stands for the background and is 0, so the
   * classes sum to 1. `null` without a type output.
   */
  classProbabilities: z.array(z.number()).nullable(),
  nucleusProbability: z.number(),
  npEntropy: z.number(),
  ntEntropy: z.number().nullable(),
  /** Conformal prediction set (class indices); `null` without calibration. */
  predictionSet: z.array(z.number().int()).nullable(),
});

export const GRID_LAYERS = ['aleatoric', 'ood', 'verdict'] as const;

/**
 * One heat-map layer over the region grid: `values` is Float32Array(rows * cols),
 * row-major, NaN where there is no tissue. The `verdict` layer holds 0 (reliable),
 * 1 (review) or 2 (out-of-domain).
 */
export const UncertaintyGridSchema = z.object({
  layer: z.enum(GRID_LAYERS),
  originBase: PointBaseSchema,
  cellSizeBase: z.number().positive(),
  cols: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  values: BinarySchema,
  /** What a value means, in words (e.g. "normalised entropy, 0 to 1"). */
  unit: z.string(),
  /** Smallest and largest finite value; `null` when the grid is empty. */
  range: z.object({ min: z.number(), max: z.number() }).nullable(),
});

/** A region's latest review: a decision as for slides, or none yet. */
export const ROI_REVIEW_STATUSES = ['unreviewed', ...SLIDE_DECISIONS] as const;

/** A ranked region of interest of the worklist. */
export const RoiSchema = z.object({
  roiId: IdSchema,
  analysisId: IdSchema,
  /** 1 is the most valuable to look at. */
  rank: z.number().int().positive(),
  priority: z.enum(ROI_PRIORITIES),
  baseRect: RectBaseSchema,
  verdict: VerdictSchema,
  /** Ranking score, 0 to 1, and the parts it is made of (each 0 to 1). */
  score: z.number(),
  scoreParts: z.object({
    uncertainty: z.number(),
    density: z.number(),
    neoplasticFraction: z.number(),
  }),
  nucleusCount: z.number().int().nonnegative(),
  review: z.object({
    status: z.enum(ROI_REVIEW_STATUSES),
    comment: z.string(),
    reviewer: z.string().nullable(),
    reviewedAt: z.string().nullable(),
  }),
});

/** One row of the append-only audit trail. */
export const AuditEntrySchema = z.object({
  auditId: z.number().int().nonnegative(),
  /** ISO 8601 (UTC). */
  at: z.string(),
  actor: z.string(),
  /** Stable action name, e.g. `slide.added`, `roi.reviewed`. */
  action: z.string(),
  slideId: IdSchema.nullable(),
  analysisId: IdSchema.nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export type AnalysisProgressInfo = z.infer<typeof AnalysisProgressSchema>;
export type AnalysisSummary = z.infer<typeof AnalysisSummarySchema>;
export type BundleBrief = z.infer<typeof BundleBriefSchema>;
export type SlideReview = z.infer<typeof SlideReviewSchema>;
export type NucleiChunk = z.infer<typeof NucleiChunkSchema>;
export type NucleiViewport = z.infer<typeof NucleiViewportSchema>;
export type NucleusDetail = z.infer<typeof NucleusDetailSchema>;
export type GridLayer = (typeof GRID_LAYERS)[number];
export type UncertaintyGrid = z.infer<typeof UncertaintyGridSchema>;
export type Roi = z.infer<typeof RoiSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
