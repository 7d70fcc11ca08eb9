/**
 * Resolves, once per analysis, every number triage uses: temperatures, OOD
 * threshold, conformal quantiles and review thresholds, each from the site profile
 * when it overrides and from the bundle otherwise, with the source recorded.
 */
import { readFile } from 'node:fs/promises';
import type { BundleCalibration, NucleusClass } from '../../src-shared/bundle-manifest';
import { z } from 'zod';
import {
  COLD_START_PROFILE,
  parseSiteProfile,
  SiteProfileSchema,
  type SiteProfile,
} from '../../src-shared/site-profile';
import { conformalQuantile } from './conformal';
import type { GaussianReference } from './mahalanobis';
import { SiteProfileInvalidError } from './triage-errors';
import type { AppliedSettings, TemperatureSource } from './types';

/** What {@link createTriageContext} needs. */
export interface TriageContextInput {
  calibration: BundleCalibration;
  profile: SiteProfile;
  nucleusClasses: readonly NucleusClass[];
  organs: readonly string[];
  /** The model's expected micrometres per pixel. */
  targetMpp: number;
  /** The slide's micrometres per level-0 pixel (x); `null` when the file records none. */
  slideMppX: number | null;
}

/** Everything per-tile and final triage needs, resolved and immutable. */
export interface TriageContext {
  settings: AppliedSettings;
  profile: SiteProfile;
  nucleusClasses: readonly NucleusClass[];
  organs: readonly string[];
  targetMpp: number;
  slideMppX: number | null;
  oodReference: Pick<GaussianReference, 'dim' | 'mean' | 'precision'> | null;
  /**
   * Reference for the mean of a two-stage backbone's patch tokens, a different space
   * from the pooled embedding; `null` when the bundle carries none.
   */
  tokenOodReference: Pick<GaussianReference, 'dim' | 'mean' | 'precision'> | null;
  /** Conformal quantile of the organ head for the profile's alpha; `null` without one. */
  organQuantile: number | null;
  /** One quantile per class (class-conditional) or a single one; `null`: no type head. */
  typeQuantile: number | number[] | null;
  /** Indices (1-based) of classes counted as neoplastic-or-epithelial for ROI scoring. */
  neoplasticClassIndices: ReadonlySet<number>;
}

/**
 * The site profile in a JSON file, or the cold-start profile when `filePath` is
 * undefined. Throws {@link SiteProfileInvalidError} when the file cannot be read, is
 * not JSON, or fails the schema; the message names each bad field by its path.
 */
export async function loadSiteProfile(
  filePath: string | undefined,
): Promise<SiteProfile> {
  if (filePath === undefined) return COLD_START_PROFILE;
  const text = await readFile(filePath, 'utf8').catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new SiteProfileInvalidError(`the file cannot be read (${code}).`, {
      cause: error,
    });
  });

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SiteProfileInvalidError('the file is not valid JSON.', { cause: error });
  }
  try {
    return parseSiteProfile(json);
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const fields = error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new SiteProfileInvalidError(`${fields.join('; ')}.`, { cause: error });
  }
}

/** The nucleus probability above which a map pixel counts as nucleus for type entropy. */
export const NUCLEUS_PIXEL_THRESHOLD = 0.5;

/** Builds the context; throws when the profile is invalid or the calibration is unusable. */
export function createTriageContext(input: TriageContextInput): TriageContext {
  const parsed = SiteProfileSchema.safeParse(input.profile);
  if (!parsed.success) throw new SiteProfileInvalidError(parsed.error.message);
  const profile = parsed.data;
  const { calibration } = input;

  const typeQuantile = resolveTypeQuantile(calibration, profile, input.nucleusClasses);
  const ood = resolveOodThreshold(calibration, profile);
  const settings: AppliedSettings = {
    profileSiteId: profile.siteId,
    profileVersion: profile.version,
    isColdStart: profile.isColdStart,
    ...resolveTemperatures(calibration, profile),
    oodThreshold: ood.threshold,
    oodThresholdSource: ood.source,
    alpha: profile.alpha,
    conformalScore: profile.conformalScore,
    isClassConditional: profile.isClassConditional,
    conformalQuantile: typeof typeQuantile === 'number' ? typeQuantile : null,
    reviewThresholds: resolveReviewThresholds(calibration, profile),
    gridCellSizeMicrons: profile.gridCellSizeMicrons,
  };

  return {
    settings,
    profile,
    nucleusClasses: input.nucleusClasses,
    organs: input.organs,
    targetMpp: input.targetMpp,
    slideMppX: input.slideMppX,
    oodReference: resolveOodReference(calibration),
    // TODO: calibration.json has no token-mean OOD reference yet - two-stage bundles are
    // scored on the pooled embedding only, so OOD that shows only in local tokens is missed.
    tokenOodReference: null,
    organQuantile: resolveOrganQuantile(calibration, profile),
    typeQuantile,
    neoplasticClassIndices: findNeoplasticClasses(input.nucleusClasses),
  };
}

function pick(profileValue: number | null, bundleValue: number | null) {
  if (profileValue !== null) return { value: profileValue, source: 'profile' as const };
  if (bundleValue !== null) return { value: bundleValue, source: 'bundle' as const };
  return { value: null, source: 'none' as const };
}

function resolveTemperatures(calibration: BundleCalibration, profile: SiteProfile) {
  const np = pick(profile.temperatures.np, calibration.temperature.np);
  const nt = pick(profile.temperatures.nt, calibration.temperature.nt);
  const organ = pick(profile.temperatures.organ, calibration.temperature.organ);
  const temperatureSource: Record<'np' | 'nt' | 'organ', TemperatureSource> = {
    np: np.source,
    nt: nt.source,
    organ: organ.source,
  };
  return {
    temperatures: { np: np.value ?? 1, nt: nt.value, organ: organ.value },
    temperatureSource,
  };
}

function resolveOodThreshold(calibration: BundleCalibration, profile: SiteProfile) {
  if (profile.oodThresholdOverride !== null) {
    return {
      threshold: profile.oodThresholdOverride,
      source: 'profile-override' as const,
    };
  }
  if (!calibration.ood) return { threshold: null, source: 'none' as const };
  if (profile.oodQuantile !== null) {
    const threshold = calibration.ood.referenceDistances[profile.oodQuantile];
    return { threshold, source: 'profile-quantile' as const };
  }
  const threshold = calibration.ood.referenceDistances[calibration.ood.thresholdQuantile];
  return { threshold, source: 'bundle-quantile' as const };
}

function resolveOodReference(calibration: BundleCalibration) {
  if (!calibration.ood) return null;
  return {
    dim: calibration.ood.dim,
    mean: Float64Array.from(calibration.ood.mean),
    precision: Float64Array.from(calibration.ood.precision),
  };
}

function resolveReviewThresholds(calibration: BundleCalibration, profile: SiteProfile) {
  const bundle = calibration.thresholds;
  const site = profile.reviewThresholds;
  return {
    npEntropy: site.npEntropy ?? bundle.npEntropyReview,
    ntEntropy: site.ntEntropy ?? bundle.ntEntropyReview,
    meanSetSize: site.meanSetSize ?? bundle.setSizeReview,
  };
}

function resolveTypeQuantile(
  calibration: BundleCalibration,
  profile: SiteProfile,
  nucleusClasses: readonly NucleusClass[],
): number | number[] | null {
  const scores = calibration.conformal.nt;
  if (!scores || nucleusClasses.length === 0) return null;
  if (!profile.isClassConditional) {
    return conformalQuantile(scores[profile.conformalScore], profile.alpha);
  }

  // A class the calibration split never showed cannot be bounded: it is always in
  // the set (quantile Infinity), which keeps coverage and makes sets larger.
  return nucleusClasses.map((nucleusClass) => {
    const perClass = scores.perClass[String(nucleusClass.index)];
    return perClass
      ? conformalQuantile(perClass[profile.conformalScore], profile.alpha)
      : Infinity;
  });
}

const OrganScoresSchema = z.object({
  lac: z.array(z.number()),
  aps: z.array(z.number()),
});

function resolveOrganQuantile(calibration: BundleCalibration, profile: SiteProfile) {
  const parsed = OrganScoresSchema.safeParse(calibration.conformal['organ']);
  if (!parsed.success) return null;
  return conformalQuantile(parsed.data[profile.conformalScore], profile.alpha);
}

function findNeoplasticClasses(nucleusClasses: readonly NucleusClass[]): Set<number> {
  const pattern = /^(neoplastic|epithelial)$/i;
  const indices = nucleusClasses
    .filter((c) => pattern.test(c.name) || c.pannuke.some((name) => pattern.test(name)))
    .map((c) => c.index);
  return new Set(indices);
}
