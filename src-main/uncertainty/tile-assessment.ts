/**
 * Per-tile assessment: aleatoric entropy of the maps, Mahalanobis distance of the
 * embedding, quality flags, and a conformal type set for every nucleus of the tile.
 */
import { predictionSet } from './conformal';
import { meanBinaryEntropy, meanTypeEntropy } from './entropy';
import { mahalanobisDistance } from './mahalanobis';
import { qualityFlagsFor } from './quality';
import { CalibrationMismatchError } from './triage-errors';
import { NUCLEUS_PIXEL_THRESHOLD, type TriageContext } from './triage-context';
import type { NucleusEvidence, TileEvidence, TileUncertainty } from './types';

/**
 * Assesses one tile. Probabilities must already be temperature-scaled with
 * `context.settings.temperatures`. Pure: the caller stores the result with
 * {@link saveTileUncertainty} in the same transaction as the tile's nuclei.
 */
export function assessTile(
  evidence: TileEvidence,
  context: TriageContext,
): TileUncertainty {
  const quality = qualityFlagsFor({
    rgbTile: evidence.rgbTile,
    tissueFraction: evidence.tissueFraction,
    slideMppX: context.slideMppX,
    targetMpp: context.targetMpp,
    limits: context.profile.quality,
  });
  const entropy = tileEntropy(evidence);
  const oodDistance = tileOodDistance(evidence, context);
  const threshold = context.settings.oodThreshold;
  const nuclei = summariseNuclei(evidence.nuclei, context);

  return {
    tileIndex: evidence.tileIndex,
    tileBaseRect: evidence.tileBaseRect,
    tissueFraction: evidence.tissueFraction,
    ...entropy,
    oodDistance,
    isOod: oodDistance !== null && threshold !== null && oodDistance > threshold,
    flags: quality.flags,
    laplacianVariance: quality.colour?.laplacianVariance ?? null,
    ...nuclei,
  };
}

function tileEntropy(evidence: TileEvidence) {
  const { npProbabilities, ntProbabilities } = evidence;
  if (!npProbabilities)
    return { npEntropyMean: null, ntEntropyMean: null, ntEntropyPixels: 0 };

  const npEntropyMean = meanBinaryEntropy(npProbabilities);
  if (!ntProbabilities) return { npEntropyMean, ntEntropyMean: null, ntEntropyPixels: 0 };
  const typed = meanTypeEntropy({
    ntProbabilities,
    npProbabilities,
    npThreshold: NUCLEUS_PIXEL_THRESHOLD,
  });
  return { npEntropyMean, ntEntropyMean: typed.mean, ntEntropyPixels: typed.pixels };
}

/**
 * Distance of the tile embedding to the reference. Where a two-stage bundle also
 * gives the mean of its patch tokens and a reference for them, the larger of the two
 * distances counts, so a tile that looks odd at either scale is caught.
 */
function tileOodDistance(evidence: TileEvidence, context: TriageContext): number | null {
  const { oodReference, tokenOodReference } = context;
  if (!oodReference || !evidence.embedding) return null;
  try {
    const global = mahalanobisDistance(evidence.embedding, oodReference);
    if (!tokenOodReference || !evidence.tokenMeanEmbedding) return global;
    return Math.max(
      global,
      mahalanobisDistance(evidence.tokenMeanEmbedding, tokenOodReference),
    );
  } catch (error) {
    throw new CalibrationMismatchError(
      `The OOD reference does not fit this model's embedding (${String(error)}).`,
      { cause: error },
    );
  }
}

function summariseNuclei(nuclei: readonly NucleusEvidence[], context: TriageContext) {
  const countsByClass: Record<number, number> = {};
  const nucleusSets: number[][] = [];
  let neoplasticCount = 0;
  let setSizeSum = 0;
  let typedNucleusCount = 0;

  for (const nucleus of nuclei) {
    const probabilities = nucleus.classProbabilities;
    if (!probabilities || context.typeQuantile === null) {
      nucleusSets.push([]);
      continue;
    }
    const classIndex = context.nucleusClasses[argmax(probabilities)]?.index ?? 0;
    countsByClass[classIndex] = (countsByClass[classIndex] ?? 0) + 1;
    if (context.neoplasticClassIndices.has(classIndex)) neoplasticCount += 1;

    const positions = predictionSet(probabilities, {
      score: context.settings.conformalScore,
      quantile: context.typeQuantile,
    });
    const set = positions.map((position) => context.nucleusClasses[position]?.index ?? 0);
    nucleusSets.push(set);
    setSizeSum += set.length;
    typedNucleusCount += 1;
  }
  return {
    nucleusCount: nuclei.length,
    typedNucleusCount,
    countsByClass,
    neoplasticCount,
    setSizeSum,
    nucleusSets,
  };
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) if (values[i]! > values[best]!) best = i;
  return best;
}
