/**
 * Uncertainty and triage: the public surface the analysis pipeline calls.
 *
 * Per analysis:
 * 1. {@link createTriageContext} once, from the bundle's calibration, the site
 *    profile and the slide's mpp. It resolves which temperatures, OOD threshold,
 *    conformal quantiles and review thresholds apply, and records where each came from.
 * 2. Per tile: apply {@link softmaxChannels} with `context.settings.temperatures` to
 *    the `np` and `nt` logits, let post-processing find nuclei, then call
 *    {@link assessTile} and {@link saveTileUncertainty} (inside the tile batch's
 *    transaction, so a resumed analysis has both or neither).
 * 3. At the end: {@link finaliseAnalysis} builds the region grid, verdicts, ROIs and
 *    the slide summary and stores them with the settings used.
 *
 * Coverage of the conformal sets is marginal and holds only for data like the
 * calibration data: see {@link CONFORMAL_COVERAGE_STATEMENT}.
 */
export { createTriageContext } from './triage-context';
export type { TriageContext, TriageContextInput } from './triage-context';
export { assessTile } from './tile-assessment';
export { saveTileUncertainty } from './triage-store';
export { finaliseAnalysis, readSlideSummary } from './finalise';
export type { FinaliseOptions } from './finalise';
export { softmaxChannels, fitTemperature, softmaxRow } from './temperature';
export { binaryEntropyBits, normalisedEntropy } from './entropy';
export { conformalQuantile, predictionSet, nonconformityScore } from './conformal';
export { mahalanobisDistance, fitGaussianReference } from './mahalanobis';
export { CONFORMAL_COVERAGE_STATEMENT } from '../../src-shared/verdict';
export { TriageError } from './triage-errors';
export type * from './types';
