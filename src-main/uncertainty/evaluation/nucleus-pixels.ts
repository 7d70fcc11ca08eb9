/**
 * The class logits of every pixel of each true typed nucleus, from which the
 * per-nucleus type distribution is formed at any temperature: the mean over the
 * nucleus's pixels of softmax(class logits / T), background channel dropped before
 * the softmax. This is the distribution the app shows and builds sets from
 * (src-main/nuclei/instance-measures.ts) and the one models/training/nucleus_types.py
 * fits the bundle's nt temperature (by the Brier score) and conformal scores on.
 */
import { goldenSectionMinimise, softmaxRow } from '../temperature';
import type { TypeMapping } from './held-out-data';

/** Class logits of the pixels of typed nuclei. */
export interface NucleusPixels {
  /** Classes (nt channels 1..C-1). */
  classCount: number;
  /** Channel-major `[classCount, pixels]` class logits. */
  classLogits: Float32Array;
  /** Which nucleus (0..labels.length-1) each pixel belongs to. */
  nucleusOfPixel: Int32Array;
  /** Each nucleus's true class as a position among the classes (channel - 1). */
  labels: number[];
}

/** Ground truth and logits of one image, channel-major over its pixels. */
export interface TypedImageInput {
  ntLogits: Float32Array;
  ntChannels: number;
  instances: Uint32Array;
  types: Uint32Array;
  mapping: TypeMapping;
}

/** Vote of a pixel whose type value the mapping cannot place. */
const UNKNOWN_CHANNEL = Number.POSITIVE_INFINITY;

/**
 * The pixels of every true nucleus whose type is known. The type is the majority of
 * its pixels' mapped channels (background value 0 never votes, ties go to the lowest
 * channel, an unmappable value votes for "unknown"), as the calibration tools decide.
 */
export function typedNucleusPixels(input: TypedImageInput): NucleusPixels {
  const { instances, types, mapping } = input;
  const classCount = input.ntChannels - 1;
  const votes = new Map<number, Map<number, number>>();
  for (let p = 0; p < instances.length; p += 1) {
    const id = instances[p]!;
    if (id === 0) continue;
    let row = votes.get(id);
    if (!row) votes.set(id, (row = new Map()));
    if (types[p]! === 0) continue;
    const channel = mapping.get(types[p]!) ?? UNKNOWN_CHANNEL;
    row.set(channel, (row.get(channel) ?? 0) + 1);
  }

  const positionOfId = new Map<number, number>();
  const labels: number[] = [];
  for (const [id, row] of votes) {
    const channel = majorityChannel(row);
    if (channel === null || !(channel >= 1 && channel <= classCount)) continue;
    positionOfId.set(id, labels.length);
    labels.push(channel - 1);
  }
  return gatherPixels(input, positionOfId, labels);
}

function majorityChannel(votes: Map<number, number>): number | null {
  let best: { channel: number; count: number } | null = null;
  for (const [channel, count] of votes) {
    const isBetter =
      !best || count > best.count || (count === best.count && channel < best.channel);
    if (isBetter) best = { channel, count };
  }
  return best ? best.channel : null;
}

function gatherPixels(
  input: TypedImageInput,
  positionOfId: Map<number, number>,
  labels: number[],
): NucleusPixels {
  const { instances, ntLogits } = input;
  const planePx = instances.length;
  const classCount = input.ntChannels - 1;
  const picked: number[] = [];
  for (let p = 0; p < planePx; p += 1)
    if (positionOfId.has(instances[p]!)) picked.push(p);

  const classLogits = new Float32Array(classCount * picked.length);
  const nucleusOfPixel = new Int32Array(picked.length);
  picked.forEach((p, i) => {
    nucleusOfPixel[i] = positionOfId.get(instances[p]!)!;
    for (let c = 0; c < classCount; c += 1)
      classLogits[c * picked.length + i] = ntLogits[(c + 1) * planePx + p]!;
  });
  return { classCount, classLogits, nucleusOfPixel, labels };
}

/**
 * Per-nucleus distributions `[nuclei][classes]` at `temperature`, accumulated in
 * double precision as the app accumulates them.
 */
export function nucleusDistributions(pixels: NucleusPixels, temperature: number) {
  const { classCount, classLogits, nucleusOfPixel, labels } = pixels;
  const pixelCount = nucleusOfPixel.length;
  const sums = labels.map(() => new Float64Array(classCount));
  const areasPx = new Float64Array(labels.length);
  const row = new Float64Array(classCount);
  const logits = new Float64Array(classCount);
  for (let i = 0; i < pixelCount; i += 1) {
    for (let c = 0; c < classCount; c += 1) logits[c] = classLogits[c * pixelCount + i]!;
    softmaxRow(logits, temperature, row);
    const sum = sums[nucleusOfPixel[i]!]!;
    for (let c = 0; c < classCount; c += 1) sum[c]! += row[c]!;
    areasPx[nucleusOfPixel[i]!]! += 1;
  }
  return {
    probabilities: sums.map((sum, n) => Array.from(sum, (s) => s / areasPx[n]!)),
    labels: [...labels],
  };
}

/** One {@link NucleusPixels} from several images, nucleus indices offset image by image. */
export function mergeNucleusPixels(parts: readonly NucleusPixels[]): NucleusPixels {
  const classCount = parts[0]?.classCount ?? 0;
  const pixelCount = parts.reduce((n, p) => n + p.nucleusOfPixel.length, 0);
  const merged: NucleusPixels = {
    classCount,
    classLogits: new Float32Array(classCount * pixelCount),
    nucleusOfPixel: new Int32Array(pixelCount),
    labels: [],
  };
  let at = 0;
  for (const part of parts) {
    const count = part.nucleusOfPixel.length;
    for (let c = 0; c < classCount; c += 1) {
      const plane = part.classLogits.subarray(c * count, (c + 1) * count);
      merged.classLogits.set(plane, c * pixelCount + at);
    }
    merged.nucleusOfPixel.set(
      part.nucleusOfPixel.map((n) => n + merged.labels.length),
      at,
    );
    merged.labels.push(...part.labels);
    at += count;
  }
  return merged;
}

/** Mean NLL (nats) of the true types under the per-nucleus distributions at T. */
export function nucleusNll(pixels: NucleusPixels, temperature: number): number {
  const { probabilities, labels } = nucleusDistributions(pixels, temperature);
  let sum = 0;
  labels.forEach(
    (label, n) => (sum -= Math.log(Math.max(probabilities[n]![label]!, 1e-12))),
  );
  return sum / labels.length;
}

/** Mean multi-class Brier score of the per-nucleus distributions at T. */
export function nucleusBrier(pixels: NucleusPixels, temperature: number): number {
  const { probabilities, labels } = nucleusDistributions(pixels, temperature);
  let sum = 0;
  labels.forEach((label, n) =>
    probabilities[n]!.forEach((p, c) => (sum += (p - (c === label ? 1 : 0)) ** 2)),
  );
  return sum / labels.length;
}

const LOG_T_GRID = Array.from({ length: 25 }, (_, i) => -3 + (6 * i) / 24);

/**
 * The per-nucleus temperature as the bundle tools fit it: the one minimising the
 * Brier score (bounded per nucleus, so a class the head never predicts cannot drive
 * it as it drives NLL), on ln T in [-3, 3] by a coarse grid, then golden-section
 * search between the neighbours of the best grid point.
 */
export function fitNucleusTemperature(pixels: NucleusPixels): number {
  if (pixels.labels.length === 0) {
    throw new RangeError('Cannot fit a nucleus temperature on zero typed nuclei.');
  }
  const brier = (logT: number) => nucleusBrier(pixels, Math.exp(logT));
  const values = LOG_T_GRID.map(brier);
  const best = values.indexOf(Math.min(...values));
  const logT = goldenSectionMinimise(
    brier,
    {
      lower: LOG_T_GRID[Math.max(best - 1, 0)]!,
      upper: LOG_T_GRID[Math.min(best + 1, LOG_T_GRID.length - 1)]!,
    },
    1e-6,
  );
  return Math.exp(logT);
}
