/**
 * A stored nucleus's conformal prediction set, formed again from its stored type
 * probabilities with the settings its analysis was triaged with, as the assessment
 * formed it (background dropped, the rest renormalised). Only marginal sets can be
 * formed: the per-class quantiles of class-conditional sets are not stored.
 */
import type { NucleusClass } from '../../src-shared/bundle-manifest';
import { predictionSet } from './conformal';
import type { AppliedSettings } from './types';

/** Class indices (1-based) of the set, most probable first; `null` when none can be formed. */
export function storedPredictionSet(
  typeProbabilities: ArrayLike<number>,
  nucleusClasses: readonly Pick<NucleusClass, 'index'>[],
  settings: Pick<AppliedSettings, 'conformalQuantile' | 'conformalScore'> | null,
): number[] | null {
  if (!settings || settings.conformalQuantile === null) return null;
  if (typeProbabilities.length < 2) return null;
  const listed = Array.from(typeProbabilities).slice(1);
  const total = listed.reduce((sum, p) => sum + p, 0);
  const probabilities =
    total > 0 ? listed.map((p) => p / total) : listed.map(() => 1 / listed.length);
  const positions = predictionSet(probabilities, {
    score: settings.conformalScore,
    quantile: settings.conformalQuantile,
  });
  return positions.map((position) => nucleusClasses[position]?.index ?? 0);
}
