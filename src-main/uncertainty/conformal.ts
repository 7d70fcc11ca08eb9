/**
 * Split conformal prediction sets for a classifier (the nucleus-type head, and the
 * organ head where a bundle has one).
 *
 * Guarantee, stated plainly: if calibration and test nuclei are exchangeable (drawn
 * alike: same tissue, stain, scanner), a set contains the true class for at least
 * 1 - alpha of nuclei on average (marginal coverage). It says nothing about any one
 * nucleus, region or slide, and nothing at all for out-of-domain input. The
 * class-conditional (Mondrian) option gives the same promise within each true class.
 *
 * Scores (computed on temperature-scaled probabilities, as in the bundle):
 * - LAC: 1 - p(true class).
 * - APS (non-randomised): total probability of the classes whose probability is at
 *   least that of the true class (ties count), as models/training computes it.
 */

/** Nonconformity score families. */
export type ConformalScore = 'lac' | 'aps';

/**
 * The conformal quantile: the ceil((n + 1)(1 - alpha))-th smallest of `n` scores,
 * i.e. the empirical ceil((n+1)(1-alpha))/n quantile. `Infinity` (every class in
 * the set) when n is too small for the requested alpha.
 */
export function conformalQuantile(scores: readonly number[], alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`alpha must be in (0, 1); got ${alpha}.`);
  }
  const n = scores.length;
  // The epsilon stops float error (e.g. 0.9 * 10 = 9.000000000000002) adding a rank.
  const rank = Math.ceil((n + 1) * (1 - alpha) - 1e-9);
  if (n === 0 || rank > n) return Infinity;
  const sorted = isSorted(scores) ? scores : [...scores].sort((a, b) => a - b);
  return sorted[rank - 1]!;
}

function isSorted(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i += 1)
    if (values[i]! < values[i - 1]!) return false;
  return true;
}

/** The nonconformity score of `label` under `probabilities`. */
export function nonconformityScore(
  probabilities: readonly number[],
  label: number,
  score: ConformalScore,
): number {
  const pLabel = probabilities[label] ?? 0;
  if (score === 'lac') return 1 - pLabel;

  let mass = 0;
  for (const p of probabilities) if (p >= pLabel) mass += p;
  return mass;
}

/** Options of {@link predictionSet}. */
export interface PredictionSetOptions {
  score: ConformalScore;
  /** One quantile for all classes (marginal), or one per class index (Mondrian). */
  quantile: number | readonly number[];
}

/**
 * Classes whose score is within the quantile, most probable first. Never empty: when
 * no class qualifies the top class is returned, which only raises coverage.
 */
export function predictionSet(
  probabilities: readonly number[],
  options: PredictionSetOptions,
): number[] {
  const order = probabilities.map((_, index) => index);
  order.sort((a, b) => probabilities[b]! - probabilities[a]!);

  const members = order.filter((label) => {
    const limit =
      typeof options.quantile === 'number' ? options.quantile : options.quantile[label];
    return nonconformityScore(probabilities, label, options.score) <= (limit ?? Infinity);
  });
  return members.length > 0 ? members : order.slice(0, 1);
}

/** Empirical coverage and mean set size of sets over labelled samples. */
export function evaluateSets(
  sets: readonly (readonly number[])[],
  labels: readonly number[],
): { coverage: number; meanSetSize: number } {
  let covered = 0;
  let sizeSum = 0;
  sets.forEach((set, i) => {
    if (set.includes(labels[i]!)) covered += 1;
    sizeSum += set.length;
  });
  return { coverage: covered / sets.length, meanSetSize: sizeSum / sets.length };
}
