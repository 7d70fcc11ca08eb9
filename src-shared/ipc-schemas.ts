/**
 * Runtime schemas of the values that cross the IPC boundary, shared by main (which
 * validates every request) and the renderer (which gets the inferred types).
 *
 * Coordinates: `…Base` is level-0 pixels of the slide. Binary payloads travel as
 * `ArrayBuffer` (typed-array layouts are documented on each field), never as JSON
 * arrays of numbers.
 */
import { z } from 'zod';
import { ERROR_CODES } from './errors';
import { VERDICT_REASON_CODES, VERDICTS } from './verdict';

/**
 * Ids are opaque, URL-safe strings: they end up in tile URLs, so the alphabet is
 * closed to keep `/`, `.` and `%` (path escapes) out by construction.
 */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id');

/** A finite number (NaN and infinities are refused). */
const finite = () => z.number().refine(Number.isFinite, 'must be finite');

/** Level-0 pixel coordinates go up to a few hundred thousand; this bounds abuse. */
const MAX_BASE_PX = 10_000_000;

/** A point in level-0 pixels. */
export const PointBaseSchema = z.strictObject({
  x: finite().min(-MAX_BASE_PX).max(MAX_BASE_PX),
  y: finite().min(-MAX_BASE_PX).max(MAX_BASE_PX),
});

/** A rectangle in level-0 pixels with a positive size. */
export const RectBaseSchema = z.strictObject({
  x: finite().min(-MAX_BASE_PX).max(MAX_BASE_PX),
  y: finite().min(-MAX_BASE_PX).max(MAX_BASE_PX),
  width: finite().positive().max(MAX_BASE_PX),
  height: finite().positive().max(MAX_BASE_PX),
});

/** An `ArrayBuffer` (pixels, packed nuclei, grids). */
export const BinarySchema = z.custom<ArrayBuffer>(
  (value) => value instanceof ArrayBuffer,
  'must be an ArrayBuffer',
);

/** The error half of a result, as it travels. */
export const AppErrorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
});

export const VerdictSchema = z.enum(VERDICTS);

/** A reason a verdict was given; see `VERDICT_REASON_TEXT` for its sentence. */
export const VerdictReasonSchema = z.object({
  code: z.enum(VERDICT_REASON_CODES),
  verdict: VerdictSchema,
  value: z.number().nullable(),
  threshold: z.number().nullable(),
});

/** Micrometres per level-0 pixel and where the value came from. */
export const MppSchema = z.object({
  x: z.number().positive(),
  y: z.number().positive(),
  source: z.enum([
    'openslide-property',
    'tiff-resolution',
    'ome-physical-size',
    'aperio-description',
    'dicom-pixel-spacing',
    'user',
  ]),
});

/**
 * A user-supplied calibration for a slide whose file records none, in micrometres per
 * level-0 pixel; pixels are taken as square (scanners write square pixels).
 */
export const MppOverrideSchema = z.strictObject({
  mppX: z.number().min(0.05).max(20),
});

/** One pyramid level as the slide file stores it. */
export const PyramidLevelSchema = z.object({
  index: z.number().int().nonnegative(),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  downsample: z.number().positive(),
  tileWidthPx: z.number().int().positive().nullable(),
  tileHeightPx: z.number().int().positive().nullable(),
});

export const ANALYSIS_STATUSES = [
  'queued',
  'running',
  'done',
  'failed',
  'cancelled',
] as const;

/** Where an analysis is in its life. */
export const AnalysisStatusSchema = z.enum(ANALYSIS_STATUSES);

/** The latest analysis of a slide, as the library lists it. */
export const AnalysisBriefSchema = z.object({
  analysisId: IdSchema,
  status: AnalysisStatusSchema,
  /** Slide verdict; `null` until the analysis is done. */
  verdict: VerdictSchema.nullable(),
  bundleId: z.string(),
  bundleVersion: z.string(),
  /** ISO 8601 (UTC). */
  createdAt: z.string(),
});

/** One slide of the library. `displayName` is shown in the UI only, never logged. */
export const SlideSummarySchema = z.object({
  slideId: IdSchema,
  displayName: z.string(),
  format: z.string(),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  /** `null`: the file records no calibration (the UI says "uncalibrated"). */
  mpp: MppSchema.nullable(),
  /** ISO 8601 (UTC). */
  addedAt: z.string(),
  /** False when the referenced file has moved or vanished since it was added. */
  isFileAvailable: z.boolean(),
  latestAnalysis: AnalysisBriefSchema.nullable(),
});

/** The Deep Zoom pyramid the tile route serves for a slide (OpenSeadragon's levels). */
export const DeepZoomSchema = z.object({
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  tileSizePx: z.number().int().positive(),
  overlapPx: z.number().int().nonnegative(),
  format: z.literal('jpeg'),
  /** Highest Deep Zoom level (full resolution); level 0 is 1x1 pixel. */
  maxLevel: z.number().int().nonnegative(),
});

/** What the viewer needs to know about one slide. */
export const SlideDetailsSchema = SlideSummarySchema.extend({
  vendor: z.string().nullable(),
  reader: z.enum(['openslide', 'geotiff', 'dicom', 'image']),
  levels: z.array(PyramidLevelSchema),
  objectivePower: z.number().nullable(),
  /** Names only (label, macro, thumbnail); the images are hidden by default. */
  associatedImages: z.array(z.string()),
  hasIccProfile: z.boolean(),
  deepZoom: DeepZoomSchema,
});

/** An encoded image. */
export const EncodedImageSchema = z.object({
  image: BinarySchema,
  mimeType: z.enum(['image/jpeg', 'image/png']),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
});

/** Settings the renderer may read and change. Allowed slide folders are not among them. */
export const SettingsSchema = z.strictObject({
  /** Label images often carry patient names and barcodes: hidden unless enabled. */
  showLabelImage: z.boolean(),
  /** Macro images may show the label too: hidden unless enabled. */
  showMacroImage: z.boolean(),
  /** Edge of one uncertainty region, in micrometres. */
  regionGridCellMicrons: z.number().min(32).max(4096),
  /** ONNX Runtime execution providers in order of preference. */
  executionProviders: z
    .array(z.enum(['cpu', 'cuda', 'dml', 'coreml']))
    .min(1)
    .max(4),
  /** Intra-op threads for ONNX Runtime; 0 lets the runtime choose. */
  inferenceThreads: z.number().int().min(0).max(64),
  /** Opacity of the nuclei overlay, 0 to 1. */
  overlayOpacity: z.number().min(0).max(1),
});

/** The values settings start with. */
export const DEFAULT_SETTINGS: z.infer<typeof SettingsSchema> = {
  showLabelImage: false,
  showMacroImage: false,
  regionGridCellMicrons: 256,
  executionProviders: ['cpu'],
  inferenceThreads: 0,
  overlayOpacity: 0.6,
};

export type SlideSummary = z.infer<typeof SlideSummarySchema>;
export type SlideDetails = z.infer<typeof SlideDetailsSchema>;
export type DeepZoomInfo = z.infer<typeof DeepZoomSchema>;
export type EncodedImage = z.infer<typeof EncodedImageSchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type AnalysisStatus = z.infer<typeof AnalysisStatusSchema>;
export type AnalysisBrief = z.infer<typeof AnalysisBriefSchema>;
export type MppOverride = z.infer<typeof MppOverrideSchema>;
