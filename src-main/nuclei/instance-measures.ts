/**
 * Per-nucleus measures from a label image: area, centroid, bounding box, mean
 * nucleus probability and entropy, and the type. The type is the majority vote over
 * the pixels; the type distribution is, per pixel, softmax(nt / T) with the
 * background channel dropped and the classes renormalised, averaged over the pixels
 * (as the model card states), and the type entropy is that of the per-pixel
 * renormalised distribution, averaged likewise.
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
  /** Entries per label in `votes` and `sumClassProbability`; 0 without types. */
  ntChannels: number;
  /** Per label, votes per nt channel (`ntChannels` entries each); channel 0 never votes. */
  votes: Int32Array;
  /**
   * Per label, summed renormalised class probabilities, indexed by nt channel
   * (`ntChannels` entries each); the background entry (channel 0) stays 0.
   */
  sumClassProbability: Float64Array;
  /** Per label, summed per-pixel entropy (nats) of the renormalised class distribution. */
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
  // One channel would be background alone: there is no class to type with.
  const channels = maps.nt && maps.ntChannels > 1 ? maps.ntChannels : 0;
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
    ntChannels: channels,
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

/**
 * Adds one pixel's type evidence. Softmax over every channel followed by dropping
 * channel 0 and dividing by the classes' total is exactly a softmax over channels
 * 1..C-1; computing it that way keeps precision where the background takes nearly
 * all the mass (1 - p0 would round to 0 there).
 */
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
  const channels = measures.ntChannels;
  const planePx = maps.widthPx * maps.heightPx;

  let best = 1;
  for (let c = 1; c < channels; c += 1) {
    scratch[c] = (nt[c * planePx + pixel] as number) / at.temperature;
    if ((scratch[c] as number) > (scratch[best] as number)) best = c;
  }
  const maxLogit = scratch[best] as number;
  let total = 0;
  for (let c = 1; c < channels; c += 1) {
    scratch[c] = Math.exp((scratch[c] as number) - maxLogit);
    total += scratch[c] as number;
  }

  let entropy = 0;
  const offset = label * channels;
  for (let c = 1; c < channels; c += 1) {
    const p = (scratch[c] as number) / total;
    addAt(measures.sumClassProbability, offset + c, p);
    if (p > 0) entropy -= p * Math.log(p);
  }
  addAt(measures.votes, offset + best, 1);
  addAt(measures.sumNtEntropy, label, entropy);
}

/** `values[index] += amount` for typed arrays, whose reads the compiler treats as possibly absent. */
function addAt(values: Float64Array | Int32Array, index: number, amount: number): void {
  values[index] = (values[index] as number) + amount;
}
