/**
 * The maps of one tile, viewed out of a batch without copying, and the per-pixel
 * probabilities derived from them.
 */
import type { NucleiMaps } from '../inference/engine';

/** One tile's maps; each is planar (channel-major), row-major within a channel. */
export interface TileMaps {
  widthPx: number;
  heightPx: number;
  /** Nucleus logits, 2 planes. */
  np: Float32Array;
  /** Horizontal then vertical distance map, 2 planes. */
  hv: Float32Array;
  /** Type logits, `ntChannels` planes, or `null`. */
  nt: Float32Array | null;
  ntChannels: number;
}

/** Views tile `index` of a batch. */
export function tileMapsAt(maps: NucleiMaps, index: number): TileMaps {
  const planePx = maps.heightPx * maps.widthPx;
  const view = (data: Float32Array, channels: number) =>
    data.subarray(index * channels * planePx, (index + 1) * channels * planePx);
  return {
    widthPx: maps.widthPx,
    heightPx: maps.heightPx,
    np: view(maps.np, 2),
    hv: view(maps.hv, 2),
    nt: maps.nt ? view(maps.nt, maps.ntChannels) : null,
    ntChannels: maps.ntChannels,
  };
}

/** Writes the nucleus probability softmax(np / T)[1] of each pixel into `probability`. */
export function computeNucleusProbability(
  maps: TileMaps,
  temperature: number,
  probability: Float32Array,
): void {
  const planePx = maps.widthPx * maps.heightPx;
  const { np } = maps;
  for (let i = 0; i < planePx; i += 1) {
    probability[i] = 1 / (1 + Math.exp(-nucleusMargin(np, planePx, i) / temperature));
  }
}

/**
 * Writes the two-class entropy (nats) of the nucleus probability, computed as
 * {@link computeNucleusProbability} computes it, where `labels` is not 0, and 0
 * elsewhere. Nuclei read the entropy of their own pixels only, and the logarithms
 * cost more than everything else per pixel.
 */
export function computeNucleusEntropyWhereLabelled(
  maps: TileMaps,
  temperature: number,
  out: { labels: Int32Array; entropy: Float32Array },
): void {
  const planePx = maps.widthPx * maps.heightPx;
  const { np } = maps;
  const { labels, entropy } = out;
  for (let i = 0; i < planePx; i += 1) {
    if (labels[i] === 0) {
      entropy[i] = 0;
      continue;
    }
    entropy[i] = binaryEntropy(
      1 / (1 + Math.exp(-nucleusMargin(np, planePx, i) / temperature)),
    );
  }
}

/** Nucleus logit minus background logit of pixel `i`. */
function nucleusMargin(np: Float32Array, planePx: number, i: number): number {
  return (np[planePx + i] as number) - (np[i] as number);
}

function binaryEntropy(p: number): number {
  const q = 1 - p;
  return (p > 0 ? -p * Math.log(p) : 0) + (q > 0 ? -q * Math.log(q) : 0);
}
