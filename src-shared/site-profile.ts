/**
 * A site profile: the per-site settings that turn model outputs into verdicts.
 * It starts as a conservative cold-start profile; after shadow mode a site fits its
 * own temperatures and thresholds and bumps `version`, and every analysis records
 * the profile version and the temperatures it used.
 *
 * A `null` override means "use the bundle's value"; it is never a hidden default.
 */
import { z } from 'zod';

const Positive = z.number().positive();
const Probability = z.number().gt(0).lt(1);

/** `calibration.json` OOD quantile names a profile may pick. */
export const OOD_QUANTILES = ['q50', 'q90', 'q95', 'q99', 'max'] as const;

const TemperaturesSchema = z.object({
  np: Positive.nullable(),
  nt: Positive.nullable(),
  organ: Positive.nullable(),
});

const ReviewThresholdsSchema = z.object({
  /** Mean normalised nucleus-map entropy (0 to 1) above which a region needs review. */
  npEntropy: z.number().min(0).max(1).nullable(),
  /** Mean normalised type entropy (0 to 1) above which a region needs review. */
  ntEntropy: z.number().min(0).max(1).nullable(),
  /** Mean conformal set size (1 to classes) above which a region needs review. */
  meanSetSize: z.number().min(1).nullable(),
});

const QualityLimitsSchema = z.object({
  /** Tissue fraction below which a tile counts as empty. */
  minTissueFraction: z.number().min(0).max(1),
  /** Variance of the Laplacian of grey levels (0-255) below which tissue is blurred. */
  minLaplacianVariance: Positive,
  /** Fraction of a tile's pixels in pen-ink colours above which the tile is marked. */
  maxPenInkFraction: z.number().min(0).max(1),
  /** Fraction of tissue tiles failing quality above which a region is out-of-domain. */
  maxQualityFailureFraction: z.number().min(0).max(1),
  /** Fraction of tissue tiles with non-H&E stain above which a region is out-of-domain. */
  maxStainOutlierFraction: z.number().min(0).max(1),
  /** Slide mpp may be at most this multiple of the model's target mpp. */
  maxMppRatio: z.number().min(1),
});

/** The runtime schema of a site profile (JSON on disk, one per site). */
export const SiteProfileSchema = z.object({
  schemaVersion: z.literal(1),
  siteId: z.string().min(1),
  /** Increases on every change; analyses store it. */
  version: z.number().int().positive(),
  /** True until the site has fitted its own values from shadow-mode pairs. */
  isColdStart: z.boolean(),
  temperatures: TemperaturesSchema,
  /** OOD distance threshold; `null` uses the bundle's stated quantile. */
  oodThresholdOverride: Positive.nullable(),
  /** Which reference-distance quantile sets the OOD threshold when not overridden. */
  oodQuantile: z.enum(OOD_QUANTILES).nullable(),
  reviewThresholds: ReviewThresholdsSchema,
  /** Conformal miscoverage: sets aim to contain the true type for 1 - alpha of nuclei. */
  alpha: Probability,
  conformalScore: z.enum(['lac', 'aps']),
  /** Mondrian (per-class) quantiles instead of one marginal quantile. */
  isClassConditional: z.boolean(),
  /** Edge of a region grid cell in micrometres. */
  gridCellSizeMicrons: Positive,
  /** Fraction of tissue regions needing review above which the whole slide needs review. */
  slideReviewFraction: z.number().min(0).max(1),
  /** Fraction of tissue regions out-of-domain that makes the whole slide out-of-domain. */
  slideOodFraction: z.number().min(0).max(1),
  quality: QualityLimitsSchema,
});

/** A parsed, schema-valid site profile. */
export type SiteProfile = z.infer<typeof SiteProfileSchema>;

/**
 * The profile every new site starts with. Conservative on purpose: the OOD threshold
 * is the 95th percentile of the reference distances (the bundle states q99), and a
 * region goes to review as soon as 5 % of its tiles fail quality. `isColdStart` is
 * shown in the UI so users know the thresholds are not yet fitted to their site.
 */
export const COLD_START_PROFILE: SiteProfile = {
  schemaVersion: 1,
  siteId: 'default',
  version: 1,
  isColdStart: true,
  temperatures: { np: null, nt: null, organ: null },
  oodThresholdOverride: null,
  oodQuantile: 'q95',
  reviewThresholds: { npEntropy: null, ntEntropy: null, meanSetSize: null },
  alpha: 0.1,
  // LAC, because the bundle's cold-start set-size threshold is measured on LAC sets.
  conformalScore: 'lac',
  isClassConditional: false,
  gridCellSizeMicrons: 256,
  slideReviewFraction: 0.05,
  slideOodFraction: 0.1,
  quality: {
    minTissueFraction: 0.1,
    minLaplacianVariance: 15,
    maxPenInkFraction: 0.05,
    maxQualityFailureFraction: 0.25,
    maxStainOutlierFraction: 0.25,
    // 20x scans (about 0.5 mpp, twice the embedded model's scale) are the common case.
    // The embedded bundle trains on simulated scans down to 2.2x its scale, and MoNuSeg
    // test degraded to 0.5 mpp scores the same PQ as at 0.25 mpp; coarser scans
    // (10x and below) lose the nuclear detail the model needs.
    maxMppRatio: 2.1,
  },
};

/** Parses a profile from unknown JSON; throws a zod error naming the bad field. */
export function parseSiteProfile(json: unknown): SiteProfile {
  return SiteProfileSchema.parse(json);
}
