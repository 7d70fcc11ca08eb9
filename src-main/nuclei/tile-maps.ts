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

/**
 * Writes the nucleus probability softmax(np / T)[1] and its two-class entropy
 * (nats) for every pixel into `probability` and `entropy`.
 */
export function computeNucleusProbability(
  maps: TileMaps,
  temperature: number,
  out: { probability: Float32Array; entropy: Float32Array },
): void {
  const planePx = maps.widthPx * maps.heightPx;
  const { np } = maps;
  for (let i = 0; i < planePx; i += 1) {
    const margin = ((np[planePx + i] as number) - (np[i] as number)) / temperature;
    const p = 1 / (1 + Math.exp(-margin));
    out.probability[i] = p;
    out.entropy[i] = binaryEntropy(p);
  }
}

function binaryEntropy(p: number): number {
  const q = 1 - p;
  return (p > 0 ? -p * Math.log(p) : 0) + (q > 0 ? -q * Math.log(q) : 0);
}
