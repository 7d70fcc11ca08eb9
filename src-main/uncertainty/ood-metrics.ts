/**
 * Detection figures for an out-of-distribution score where higher means "more
 * out-of-domain": AUROC and the false-positive rate at 95 % true-positive rate.
 */

/**
 * Area under the ROC curve via the Mann-Whitney U statistic with mid-ranks for
 * ties: the probability that a random OOD sample scores above a random in-domain one.
 */
export function auroc(
  inDomainScores: readonly number[],
  oodScores: readonly number[],
): number {
  const all = [
    ...inDomainScores.map((value) => ({ value, isOod: false })),
    ...oodScores.map((value) => ({ value, isOod: true })),
  ].sort((a, b) => a.value - b.value);

  let oodRankSum = 0;
  let start = 0;
  while (start < all.length) {
    let end = start;
    while (end + 1 < all.length && all[end + 1]!.value === all[start]!.value) end += 1;
    const midRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) if (all[i]!.isOod) oodRankSum += midRank;
    start = end + 1;
  }

  const nOod = oodScores.length;
  const nIn = inDomainScores.length;
  return (oodRankSum - (nOod * (nOod + 1)) / 2) / (nOod * nIn);
}

/**
 * Fraction of in-domain samples flagged when the threshold is the highest one that
 * still flags at least 95 % of the OOD samples (score >= threshold flags).
 */
export function fprAtTpr(
  inDomainScores: readonly number[],
  oodScores: readonly number[],
  tpr = 0.95,
): number {
  const descending = [...oodScores].sort((a, b) => b - a);
  const needed = Math.ceil(tpr * descending.length);
  const threshold = descending[needed - 1]!;
  const flagged = inDomainScores.filter((score) => score >= threshold).length;
  return flagged / inDomainScores.length;
}
