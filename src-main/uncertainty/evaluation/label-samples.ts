/**
 * Labelled samples from stitched model outputs and ground-truth maps: nucleus-map
 * logits per pixel (on a regular pixel grid) and type probabilities per true nucleus
 * (the mean of the temperature-scaled softmax over the nucleus pixels, background
 * dropped and renormalised, as the app and the calibration tools form them).
 */
import { softmaxChannels } from '../temperature';
import type { TypeMapping } from './held-out-data';

/** Pixel samples of the nucleus map: logits `[n, 2]` row-major and 0/1 labels. */
export interface PixelSamples {
  logits: Float32Array;
  labels: Uint8Array;
}

/** Every `stridePx`-th pixel in both directions: logits and whether a nucleus is there. */
export function npPixelSamples(
  npLogits: Float32Array,
  instances: Uint32Array,
  options: { widthPx: number; heightPx: number; stridePx: number },
): PixelSamples {
  const { widthPx, heightPx, stridePx } = options;
  const planePx = widthPx * heightPx;
  const count = Math.ceil(widthPx / stridePx) * Math.ceil(heightPx / stridePx);
  const logits = new Float32Array(count * 2);
  const labels = new Uint8Array(count);

  let n = 0;
  for (let y = 0; y < heightPx; y += stridePx) {
    for (let x = 0; x < widthPx; x += stridePx) {
      const p = y * widthPx + x;
      logits[2 * n] = npLogits[p]!;
      logits[2 * n + 1] = npLogits[planePx + p]!;
      labels[n] = instances[p]! > 0 ? 1 : 0;
      n += 1;
    }
  }
  return { logits: logits.subarray(0, 2 * n), labels: labels.subarray(0, n) };
}

/** Nucleus samples: class probabilities `[n][classes]` and 0-based true class positions. */
export interface NucleusSamples {
  probabilities: number[][];
  labels: number[];
}

/** Options of {@link nucleusTypeSamples}. */
export interface NucleusSampleInput {
  ntLogits: Float32Array;
  ntChannels: number;
  instances: Uint32Array;
  types: Uint32Array;
  mapping: TypeMapping;
  temperature: number;
}

/**
 * One sample per true nucleus whose majority type maps to an `nt` channel. Labels are
 * positions among the listed classes (channel - 1).
 */
export function nucleusTypeSamples(input: NucleusSampleInput): NucleusSamples {
  const { ntChannels, instances, types, mapping } = input;
  const probabilities = softmaxChannels({
    logits: input.ntLogits,
    channels: ntChannels,
    temperature: input.temperature,
  });
  const planePx = instances.length;
  const sums = new Map<number, { mass: Float64Array; votes: Map<number, number> }>();

  for (let p = 0; p < planePx; p += 1) {
    const id = instances[p]!;
    if (id === 0) continue;
    let entry = sums.get(id);
    if (!entry) {
      entry = { mass: new Float64Array(ntChannels - 1), votes: new Map() };
      sums.set(id, entry);
    }
    for (let c = 1; c < ntChannels; c += 1)
      entry.mass[c - 1]! += probabilities[c * planePx + p]!;
    entry.votes.set(types[p]!, (entry.votes.get(types[p]!) ?? 0) + 1);
  }
  return toSamples([...sums.values()], mapping);
}

function toSamples(
  entries: { mass: Float64Array; votes: Map<number, number> }[],
  mapping: TypeMapping,
): NucleusSamples {
  const samples: NucleusSamples = { probabilities: [], labels: [] };
  for (const { mass, votes } of entries) {
    const majority = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    const channel = mapping.get(majority);
    if (channel === undefined) continue;
    const total = mass.reduce((a, b) => a + b, 0);
    samples.probabilities.push(Array.from(mass, (m) => m / total));
    samples.labels.push(channel - 1);
  }
  return samples;
}
