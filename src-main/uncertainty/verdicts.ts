/**
 * Verdict rules for a region and for the slide. Every rule that trips records a
 * reason with the measured value and the threshold, so the UI can say exactly why;
 * the verdict is the worst of the tripped rules, Reliable when none trips.
 */
import {
  worstVerdict,
  type Verdict,
  type VerdictReason,
  type VerdictReasonCode,
} from '../../src-shared/verdict';
import type { TriageContext } from './triage-context';
import type { RegionMeasures } from './types';

/** Above this fraction of OOD tiles a region is out-of-domain; any OOD tile means review. */
const REGION_OOD_TILE_FRACTION = 0.5;

interface Rule {
  code: VerdictReasonCode;
  verdict: Verdict;
  value: number | null;
  threshold: number | null;
  isTripped: boolean;
}

function collect(rules: readonly Rule[]): { verdict: Verdict; reasons: VerdictReason[] } {
  const reasons = rules
    .filter((rule) => rule.isTripped)
    .map(({ code, verdict, value, threshold }) => ({ code, verdict, value, threshold }));
  return { verdict: worstVerdict(reasons.map((r) => r.verdict)), reasons };
}

function exceeds(value: number | null, threshold: number): boolean {
  return value !== null && value > threshold;
}

/** Domain rules shared by regions and the slide: mpp, quality, stain. */
function domainRules(measures: RegionMeasures, context: TriageContext): Rule[] {
  const limits = context.profile.quality;
  const mppLimit = context.targetMpp * limits.maxMppRatio;
  return [
    {
      code: 'missing-mpp',
      verdict: 'out-of-domain',
      value: null,
      threshold: null,
      isTripped: context.slideMppX === null,
    },
    {
      code: 'mpp-out-of-range',
      verdict: 'out-of-domain',
      value: context.slideMppX,
      threshold: mppLimit,
      isTripped: measures.mppOutOfRangeTileCount > 0,
    },
    {
      code: 'quality-failures',
      verdict: 'out-of-domain',
      value: measures.qualityFailureFraction,
      threshold: limits.maxQualityFailureFraction,
      isTripped: measures.qualityFailureFraction > limits.maxQualityFailureFraction,
    },
    {
      code: 'stain-out-of-range',
      verdict: 'out-of-domain',
      value: measures.stainOutlierFraction,
      threshold: limits.maxStainOutlierFraction,
      isTripped: measures.stainOutlierFraction > limits.maxStainOutlierFraction,
    },
  ];
}

/** The verdict of one region from its aggregated measures. */
export function regionVerdict(
  measures: RegionMeasures,
  context: TriageContext,
): { verdict: Verdict; reasons: VerdictReason[] } {
  const review = context.settings.reviewThresholds;
  const oodThreshold = context.settings.oodThreshold;
  const isMostlyOod = measures.oodTileFraction > REGION_OOD_TILE_FRACTION;

  return collect([
    ...domainRules(measures, context),
    {
      code: 'ood-distance',
      verdict: isMostlyOod ? 'out-of-domain' : 'review',
      value: measures.oodDistanceMax,
      threshold: oodThreshold,
      isTripped: measures.oodTileFraction > 0,
    },
    {
      code: 'np-entropy-high',
      verdict: 'review',
      value: measures.npEntropyMean,
      threshold: review.npEntropy,
      isTripped: exceeds(measures.npEntropyMean, review.npEntropy),
    },
    {
      code: 'nt-entropy-high',
      verdict: 'review',
      value: measures.ntEntropyMean,
      threshold: review.ntEntropy,
      isTripped: exceeds(measures.ntEntropyMean, review.ntEntropy),
    },
    {
      code: 'set-size-high',
      verdict: 'review',
      value: measures.meanSetSize,
      threshold: review.meanSetSize,
      isTripped: exceeds(measures.meanSetSize, review.meanSetSize),
    },
  ]);
}

/** Inputs of {@link slideVerdict}. */
export interface SlideVerdictInput {
  /** Measures over all tiles of the slide. */
  slideMeasures: RegionMeasures;
  /** Verdicts of the regions that hold tissue. */
  tissueRegionVerdicts: readonly Verdict[];
}

/**
 * The slide verdict: out-of-domain when the slide as a whole fails a domain rule or
 * too many tissue regions are out-of-domain; review when enough regions are not
 * reliable; out-of-domain when no tissue was found at all.
 */
export function slideVerdict(
  input: SlideVerdictInput,
  context: TriageContext,
): { verdict: Verdict; reasons: VerdictReason[] } {
  const profile = context.profile;
  const regions = input.tissueRegionVerdicts;
  const share = (pick: (v: Verdict) => boolean) =>
    regions.length > 0 ? regions.filter(pick).length / regions.length : 0;
  const oodShare = share((v) => v === 'out-of-domain');
  const notReliableShare = share((v) => v !== 'reliable');

  return collect([
    ...domainRules(input.slideMeasures, context),
    {
      code: 'no-tissue',
      verdict: 'out-of-domain',
      value: 0,
      threshold: null,
      isTripped: input.slideMeasures.tissueTileCount === 0,
    },
    {
      code: 'ood-regions',
      verdict: 'out-of-domain',
      value: oodShare,
      threshold: profile.slideOodFraction,
      isTripped: oodShare > profile.slideOodFraction,
    },
    {
      code: 'review-regions',
      verdict: 'review',
      value: notReliableShare,
      threshold: profile.slideReviewFraction,
      isTripped: notReliableShare > profile.slideReviewFraction,
    },
  ]);
}
