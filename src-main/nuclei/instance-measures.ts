/**
 * Per-nucleus measures from a label image: area, centroid, bounding box, mean
 * nucleus probability and entropy, and the type by majority vote over the pixels
 * with the mean per-class probabilities and entropy of softmax(nt / T).
 */
import type { TileMaps } from './tile-maps';

/** Accumulated measures of labels 1..count (index 0 is unused). */
export interface InstanceMeasures {
  count: number;
  areaPx: Int32Array;
  sumX: Float64Array;
  sumY: Float64Array;
  /** Bounding boxes: minX, minY, maxX, maxY (inclusive), 4 entries per label. */
  bounds: Int32Array;
  sumProbability: Float64Array;
  sumNpEntropy: Float64Array;
  /** Per label, votes per nt channel (`ntChannels` entries each); empty without types. */
  votes: Int32Array;
  /** Per label, summed class probabilities (`ntChannels` entries each). */
  sumClassProbability: Float64Array;
  sumNtEntropy: Float64Array;
}

/** Inputs of {@link measureInstances}. */
export interface MeasureInput {
  labels: Int32Array;
  count: number;
  maps: TileMaps;
  probability: Float32Array;
  npEntropy: Float32Array;
  ntTemperature: number;
}

/** One pass over the pixels accumulating every measure. */
export function measureInstances(input: MeasureInput): InstanceMeasures {
  const { labels, count, maps } = input;
  const channels = maps.nt ? maps.ntChannels : 0;
  const measures = allocate(count, channels);
  const scratch = new Float64Array(channels);
  const widthPx = maps.widthPx;

  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i] as number;
    if (label === 0) continue;
    const x = i % widthPx;
    const y = (i - x) / widthPx;
    addPixel(measures, label, x, y);
    addAt(measures.sumProbability, label, input.probability[i] as number);
    addAt(measures.sumNpEntropy, label, input.npEntropy[i] as number);
    if (channels > 0)
      addTypePixel(measures, {
        label,
        pixel: i,
        maps,
        scratch,
        temperature: input.ntTemperature,
      });
  }
  return measures;
}

function allocate(count: number, channels: number): InstanceMeasures {
  const bounds = new Int32Array(4 * (count + 1));
  for (let label = 0; label <= count; label += 1)
    bounds.set([1e9, 1e9, -1, -1], 4 * label);
  return {
    count,
    areaPx: new Int32Array(count + 1),
    sumX: new Float64Array(count + 1),
    sumY: new Float64Array(count + 1),
    bounds,
    sumProbability: new Float64Array(count + 1),
    sumNpEntropy: new Float64Array(count + 1),
    votes: new Int32Array((count + 1) * channels),
    sumClassProbability: new Float64Array((count + 1) * channels),
    sumNtEntropy: new Float64Array(count + 1),
  };
}

function addPixel(measures: InstanceMeasures, label: number, x: number, y: number): void {
  addAt(measures.areaPx, label, 1);
  addAt(measures.sumX, label, x + 0.5);
  addAt(measures.sumY, label, y + 0.5);
  const b = 4 * label;
  const bounds = measures.bounds;
  if (x < (bounds[b] as number)) bounds[b] = x;
  if (y < (bounds[b + 1] as number)) bounds[b + 1] = y;
  if (x > (bounds[b + 2] as number)) bounds[b + 2] = x;
  if (y > (bounds[b + 3] as number)) bounds[b + 3] = y;
}

function addTypePixel(
  measures: InstanceMeasures,
  at: {
    label: number;
    pixel: number;
    maps: TileMaps;
    scratch: Float64Array;
    temperature: number;
  },
): void {
  const { maps, scratch, pixel, label } = at;
  const nt = maps.nt as Float32Array;
  const channels = maps.ntChannels;
  const planePx = maps.widthPx * maps.heightPx;

  let maxLogit = -Infinity;
  for (let c = 0; c < channels; c += 1) {
    scratch[c] = (nt[c * planePx + pixel] as number) / at.temperature;
    if ((scratch[c] as number) > maxLogit) maxLogit = scratch[c] as number;
  }
  let total = 0;
  for (let c = 0; c < channels; c += 1) {
    scratch[c] = Math.exp((scratch[c] as number) - maxLogit);
    total += scratch[c] as number;
  }

  let best = 0;
  let entropy = 0;
  const offset = label * channels;
  for (let c = 0; c < channels; c += 1) {
    const p = (scratch[c] as number) / total;
    addAt(measures.sumClassProbability, offset + c, p);
    if (p > 0) entropy -= p * Math.log(p);
    if (c > 0 && (best === 0 || p > (scratch[best] as number) / total)) best = c;
  }
  addAt(measures.votes, offset + best, 1);
  addAt(measures.sumNtEntropy, label, entropy);
}

/** `values[index] += amount` for typed arrays, whose reads the compiler treats as possibly absent. */
function addAt(values: Float64Array | Int32Array, index: number, amount: number): void {
  values[index] = (values[index] as number) + amount;
}
