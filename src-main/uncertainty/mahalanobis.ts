/**
 * Epistemic uncertainty as distance to the training distribution: the Mahalanobis
 * distance of an embedding to a Gaussian fitted on reference (training) embeddings,
 * whose covariance is shrunk towards a scaled identity (Ledoit-Wolf) so it stays
 * invertible when the embedding has more dimensions than is comfortable for the
 * number of reference tiles.
 */
import { Matrix, inverse } from 'ml-matrix';

/** A fitted reference: mean and precision (inverse shrunk covariance), row-major. */
export interface GaussianReference {
  dim: number;
  mean: Float64Array;
  precision: Float64Array;
  /** Ledoit-Wolf shrinkage intensity actually used (0 = empirical, 1 = identity). */
  shrinkage: number;
}

/**
 * sqrt((x - mean)^T precision (x - mean)). Throws when the embedding's length does
 * not match the reference: that means the bundle and the model disagree.
 */
export function mahalanobisDistance(
  embedding: ArrayLike<number>,
  reference: Pick<GaussianReference, 'dim' | 'mean' | 'precision'>,
): number {
  const { dim, mean, precision } = reference;
  if (embedding.length !== dim) {
    throw new RangeError(
      `Embedding has ${embedding.length} values but the OOD reference expects ${dim}.`,
    );
  }
  const diff = new Float64Array(dim);
  for (let i = 0; i < dim; i += 1) diff[i] = (embedding[i] ?? 0) - mean[i]!;

  let quadratic = 0;
  for (let row = 0; row < dim; row += 1) {
    let dot = 0;
    const offset = row * dim;
    for (let col = 0; col < dim; col += 1) dot += precision[offset + col]! * diff[col]!;
    quadratic += diff[row]! * dot;
  }
  return Math.sqrt(Math.max(0, quadratic));
}

/** Ledoit-Wolf shrinkage intensity of centred samples (rows), as scikit-learn computes it. */
export function ledoitWolfShrinkage(centred: Matrix): number {
  const n = centred.rows;
  const p = centred.columns;
  const squared = centred.clone().pow(2);
  const empiricalTrace = squared.sum() / n;
  const mu = empiricalTrace / p;

  const rowSums = squared.sum('row');
  const betaRaw = rowSums.reduce((sum, value) => sum + value * value, 0);
  const gram = centred.transpose().mmul(centred);
  const deltaRaw = gram.clone().pow(2).sum() / (n * n);

  const beta = (betaRaw / n - deltaRaw) / (p * n);
  const delta = (deltaRaw - 2 * mu * empiricalTrace + p * mu * mu) / p;
  const bounded = Math.min(beta, delta);
  return bounded === 0 ? 0 : bounded / delta;
}

/**
 * Fits a {@link GaussianReference} to reference embeddings (one per row): mean, then
 * the empirical covariance (divided by n) shrunk by Ledoit-Wolf, then its inverse.
 */
export function fitGaussianReference(
  embeddings: readonly ArrayLike<number>[],
): GaussianReference {
  if (embeddings.length < 2) {
    throw new RangeError('An OOD reference needs at least two embeddings.');
  }
  const samples = new Matrix(embeddings.map((row) => Array.from(row)));
  const meanRow = samples.mean('column');
  const centred = samples.clone().subRowVector(meanRow);

  const n = samples.rows;
  const p = samples.columns;
  const shrinkage = ledoitWolfShrinkage(centred);
  const covariance = centred.transpose().mmul(centred).div(n);
  const mu = covariance.trace() / p;
  const shrunk = covariance.mul(1 - shrinkage).add(Matrix.eye(p, p).mul(shrinkage * mu));

  return {
    dim: p,
    mean: Float64Array.from(meanRow),
    precision: Float64Array.from(inverse(shrunk).to1DArray()),
    shrinkage,
  };
}
