/**
 * Temperature scaling (Guo et al. 2017): one scalar T per head divides the logits
 * before the softmax. T is fitted by minimising the negative log-likelihood on
 * held-out labelled data; accuracy is unchanged, confidence is corrected.
 */

/** Bounds of the temperature search; outside them the model is badly broken. */
const MIN_TEMPERATURE = 0.05;
const MAX_TEMPERATURE = 20;

/** Labelled logits: `logits` is row-major `[samples, classes]`. */
export interface LabelledLogits {
  logits: Float32Array | Float64Array;
  labels: Int32Array | Uint8Array | readonly number[];
  classCount: number;
}

/** Softmax of one row of logits divided by `temperature`, written into `out`. */
export function softmaxRow(
  logits: ArrayLike<number>,
  temperature: number,
  out: Float64Array,
): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < out.length; c += 1)
    max = Math.max(max, (logits[c] ?? 0) / temperature);
  let total = 0;
  for (let c = 0; c < out.length; c += 1) {
    out[c] = Math.exp((logits[c] ?? 0) / temperature - max);
    total += out[c] ?? 0;
  }
  for (let c = 0; c < out.length; c += 1) out[c] = (out[c] ?? 0) / total;
  return out;
}

/** Options of {@link softmaxChannels}. */
export interface ChannelLogits {
  /** Channel-major `[channels, pixels]` logits of one tile (one batch item). */
  logits: Float32Array;
  channels: number;
  temperature: number;
}

/** Per-pixel softmax over the channel axis of a channel-major map, after dividing by T. */
export function softmaxChannels(input: ChannelLogits): Float32Array {
  const { logits, channels, temperature } = input;
  const pixels = logits.length / channels;
  const out = new Float32Array(logits.length);
  for (let pixel = 0; pixel < pixels; pixel += 1) {
    let max = -Infinity;
    for (let c = 0; c < channels; c += 1) {
      max = Math.max(max, (logits[c * pixels + pixel] ?? 0) / temperature);
    }
    let total = 0;
    for (let c = 0; c < channels; c += 1) {
      const e = Math.exp((logits[c * pixels + pixel] ?? 0) / temperature - max);
      out[c * pixels + pixel] = e;
      total += e;
    }
    for (let c = 0; c < channels; c += 1) out[c * pixels + pixel]! /= total;
  }
  return out;
}

/** Mean negative log-likelihood (nats) of the labels under softmax(logits / T). */
export function meanNll(data: LabelledLogits, temperature: number): number {
  const { logits, labels, classCount } = data;
  const sampleCount = labels.length;
  let sum = 0;
  for (let i = 0; i < sampleCount; i += 1) {
    const offset = i * classCount;
    let max = -Infinity;
    for (let c = 0; c < classCount; c += 1)
      max = Math.max(max, logits[offset + c]! / temperature);
    let total = 0;
    for (let c = 0; c < classCount; c += 1)
      total += Math.exp(logits[offset + c]! / temperature - max);
    sum += Math.log(total) + max - logits[offset + Number(labels[i])]! / temperature;
  }
  return sum / sampleCount;
}

/**
 * Minimises a unimodal function on [lower, upper] by golden-section search; the
 * bracket shrinks by 0.618 per step until narrower than `tolerance`.
 */
export function goldenSectionMinimise(
  f: (x: number) => number,
  bounds: { lower: number; upper: number },
  tolerance = 1e-7,
): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = bounds.lower;
  let b = bounds.upper;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);

  while (b - a > tolerance) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * The NLL-optimal temperature, searched on log T in [ln 0.05, ln 20] so the search is
 * symmetric between sharpening and softening. NLL in T is unimodal for softmax
 * outputs, so golden-section search finds the global minimum.
 */
export function fitTemperature(data: LabelledLogits): number {
  if (data.labels.length === 0) {
    throw new RangeError('Cannot fit a temperature on zero labelled samples.');
  }
  const logT = goldenSectionMinimise((x) => meanNll(data, Math.exp(x)), {
    lower: Math.log(MIN_TEMPERATURE),
    upper: Math.log(MAX_TEMPERATURE),
  });
  return Math.exp(logT);
}
