/**
 * Synthetic model maps of discs, built the way HoVer-Net's targets are: inside each
 * disc the nucleus logit is high, h and v run from -1 to 1 across the disc, and the
 * type logits favour the disc's class.
 */
import type { TileMaps } from '../../../src-main/nuclei/tile-maps';

export interface Disc {
  centreX: number;
  centreY: number;
  radiusPx: number;
  classIndex: number;
}

export function discMaps(sizePx: number, discs: Disc[], ntChannels = 5): TileMaps {
  const planePx = sizePx * sizePx;
  const np = new Float32Array(2 * planePx);
  const hv = new Float32Array(2 * planePx);
  const nt = new Float32Array(ntChannels * planePx);
  np.fill(4, 0, planePx);
  np.fill(-4, planePx);
  nt.fill(3, 0, planePx);

  for (let y = 0; y < sizePx; y += 1) {
    for (let x = 0; x < sizePx; x += 1) {
      const i = y * sizePx + x;
      const disc = nearestInside(discs, x + 0.5, y + 0.5);
      if (!disc) continue;
      np[i] = -4;
      np[planePx + i] = 4;
      hv[i] = (x + 0.5 - disc.centreX) / disc.radiusPx;
      hv[planePx + i] = (y + 0.5 - disc.centreY) / disc.radiusPx;
      nt[i] = -3;
      nt[disc.classIndex * planePx + i] = 3;
    }
  }
  return { widthPx: sizePx, heightPx: sizePx, np, hv, nt, ntChannels };
}

function nearestInside(discs: Disc[], x: number, y: number): Disc | null {
  let best: Disc | null = null;
  let bestDistance = Infinity;
  for (const disc of discs) {
    const distance = Math.hypot(x - disc.centreX, y - disc.centreY) / disc.radiusPx;
    if (distance <= 1 && distance < bestDistance) {
      best = disc;
      bestDistance = distance;
    }
  }
  return best;
}
