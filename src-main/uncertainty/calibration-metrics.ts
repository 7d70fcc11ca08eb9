/**
 * Calibration figures for labelled probabilities: expected calibration error (ECE,
 * equal-width confidence bins), mean negative log-likelihood and the Brier score.
 * Probabilities are row-major `[samples, classes]`.
 */

/** Labelled class probabilities. */
export interface LabelledProbabilities {
  probabilities: Float32Array | Float64Array;
  labels: Int32Array | Uint8Array | readonly number[];
  classCount: number;
}

/** Probabilities are clipped here before the log so one zero does not make NLL infinite. */
const MIN_PROBABILITY = 1e-12;

function topLabel(row: ArrayLike<number>, offset: number, classCount: number) {
  let best = 0;
  for (let c = 1; c < classCount; c += 1) {
    if ((row[offset + c] ?? 0) > (row[offset + best] ?? 0)) best = c;
  }
  return { label: best, confidence: row[offset + best] ?? 0 };
}

/**
 * Expected calibration error of the top label: samples binned by confidence into
 * `binCount` equal-width bins (lower edge exclusive, the first bin includes 0), then
 * the sample-weighted mean of |accuracy - mean confidence| per bin. 0..1.
 */
export function expectedCalibrationError(
  data: LabelledProbabilities,
  binCount = 15,
): number {
  const { probabilities, labels, classCount } = data;
  const binConfidence = new Float64Array(binCount);
  const binCorrect = new Float64Array(binCount);
  const binSize = new Float64Array(binCount);

  for (let i = 0; i < labels.length; i += 1) {
    const { label, confidence } = topLabel(probabilities, i * classCount, classCount);
    const bin = Math.min(binCount - 1, Math.max(0, Math.ceil(confidence * binCount) - 1));
    binConfidence[bin]! += confidence;
    binCorrect[bin]! += label === Number(labels[i]) ? 1 : 0;
    binSize[bin]! += 1;
  }

  let ece = 0;
  for (let bin = 0; bin < binCount; bin += 1) {
    const size = binSize[bin]!;
    if (size === 0) continue;
    ece += Math.abs(binCorrect[bin]! - binConfidence[bin]!) / labels.length;
  }
  return ece;
}

/** Mean negative log-likelihood (nats) of the labels, probabilities clipped at 1e-12. */
export function negativeLogLikelihood(data: LabelledProbabilities): number {
  const { probabilities, labels, classCount } = data;
  let sum = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const p = probabilities[i * classCount + Number(labels[i])] ?? 0;
    sum -= Math.log(Math.max(p, MIN_PROBABILITY));
  }
  return sum / labels.length;
}

/** Multi-class Brier score: mean over samples of the squared error summed over classes. */
export function brierScore(data: LabelledProbabilities): number {
  const { probabilities, labels, classCount } = data;
  let sum = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const label = Number(labels[i]);
    for (let c = 0; c < classCount; c += 1) {
      const target = c === label ? 1 : 0;
      sum += ((probabilities[i * classCount + c] ?? 0) - target) ** 2;
    }
  }
  return sum / labels.length;
}
