/**
 * The triage vocabulary shared by main and the UI: the three verdicts, how each is
 * shown (colour, icon, words), the reasons a verdict records, and ROI priorities.
 *
 * Out-of-domain never gets a tick or a green colour: it means the model's output
 * must not be trusted at all, which is a different message from "check this".
 */

/** Reliable: no check tripped. Review: a person should look. Out-of-domain: do not trust. */
export const VERDICTS = ['reliable', 'review', 'out-of-domain'] as const;

/** One of {@link VERDICTS}. */
export type Verdict = (typeof VERDICTS)[number];

/** How the UI draws a verdict: `icon` is a name from the UI's icon set. */
export interface VerdictPresentation {
  label: string;
  colorHex: string;
  icon: 'check-circle' | 'eye' | 'ban';
  description: string;
}

/** Fixed presentation per verdict; colours keep contrast on white and on the slide. */
export const VERDICT_PRESENTATION: Readonly<Record<Verdict, VerdictPresentation>> = {
  reliable: {
    label: 'Reliable',
    colorHex: '#2e7d32',
    icon: 'check-circle',
    description:
      'No uncertainty, quality or domain check tripped. The result still needs a pathologist.',
  },
  review: {
    label: 'Review',
    colorHex: '#b26a00',
    icon: 'eye',
    description: 'The model is uncertain here; check the nuclei and types yourself.',
  },
  'out-of-domain': {
    label: 'Out-of-domain',
    colorHex: '#b71c1c',
    icon: 'ban',
    description:
      'This input is unlike what the model was built for; its output must not be used.',
  },
};

/** Severity order used to combine verdicts: the worse one wins. */
const SEVERITY: Readonly<Record<Verdict, number>> = {
  reliable: 0,
  review: 1,
  'out-of-domain': 2,
};

/** The more severe of the given verdicts; `reliable` for an empty list. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  let worst: Verdict = 'reliable';
  for (const verdict of verdicts) {
    if (SEVERITY[verdict] > SEVERITY[worst]) worst = verdict;
  }
  return worst;
}

/** Why a region or slide got its verdict; each code maps to one verdict and one sentence. */
export const VERDICT_REASON_CODES = [
  'ood-distance',
  'missing-mpp',
  'mpp-out-of-range',
  'quality-failures',
  'stain-out-of-range',
  'no-tissue',
  'np-entropy-high',
  'nt-entropy-high',
  'set-size-high',
  'review-regions',
  'ood-regions',
] as const;

/** One of {@link VERDICT_REASON_CODES}. */
export type VerdictReasonCode = (typeof VERDICT_REASON_CODES)[number];

/**
 * A recorded reason: the code, the measured value and the threshold it crossed (both
 * in the unit the code's text names), so the UI can say exactly why.
 */
export interface VerdictReason {
  code: VerdictReasonCode;
  verdict: Verdict;
  /** The measured value; `null` when the reason is a missing value (e.g. no mpp). */
  value: number | null;
  /** The limit crossed; `null` when the reason has no numeric limit. */
  threshold: number | null;
}

/** The sentence the UI shows for each reason code; `value` and `threshold` follow it. */
export const VERDICT_REASON_TEXT: Readonly<Record<VerdictReasonCode, string>> = {
  'ood-distance':
    'Tissue features are far from the model training data (Mahalanobis distance).',
  'missing-mpp':
    'The slide records no pixel size (mpp); enter it to get nuclei at the right scale.',
  'mpp-out-of-range':
    'The scan resolution is too coarse for nuclei at the model scale (mpp).',
  'quality-failures':
    'Too many tiles failed a quality check (blur, pen ink, unreadable) (fraction).',
  'stain-out-of-range': 'The staining does not look like H&E (fraction of tissue tiles).',
  'no-tissue':
    'No tissue was found in this region: no tile passed the tissue colour check (tiles with tissue).',
  'np-entropy-high':
    'Nucleus detection is uncertain here (mean normalised entropy, 0 to 1).',
  'nt-entropy-high':
    'Nucleus typing is uncertain here (mean normalised entropy, 0 to 1).',
  'set-size-high':
    'Conformal prediction sets are large: several types remain plausible (mean set size).',
  'review-regions':
    'Too many tissue regions are not Reliable, i.e. Review or Out-of-domain (fraction of tissue regions).',
  'ood-regions':
    'Too many tissue regions are Out-of-domain (fraction of tissue regions).',
};

/** Worklist priority of a ranked ROI, most urgent first. */
export const ROI_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;

/** One of {@link ROI_PRIORITIES}. */
export type RoiPriority = (typeof ROI_PRIORITIES)[number];

/**
 * What conformal prediction sets promise, in words for README and the UI: coverage
 * is marginal (on average over nuclei, not per nucleus or per slide) and holds only
 * for data exchangeable with the calibration data.
 */
export const CONFORMAL_COVERAGE_STATEMENT =
  'Prediction sets contain the true nucleus type for about (1 - alpha) of nuclei on ' +
  'average over many nuclei (marginal coverage). This holds only for slides like the ' +
  'calibration data (same kind of tissue, stain and scanner); it is not a guarantee ' +
  'for any single nucleus, region or slide, and not for out-of-domain input.';
