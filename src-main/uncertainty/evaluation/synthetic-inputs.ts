/**
 * Out-of-domain inputs made from in-domain tiles (or from nothing) for evaluating
 * the OOD score and the quality checks. All are synthetic and deterministic for a
 * given seed: blank glass, heavy blur, pen marks, greyscale, an IHC-like recolouring
 * (haematoxylin blue and DAB brown), and non-tissue images (noise, gradients, a
 * text-like pattern). None of them is a real photograph.
 */
import type { RgbTile } from '../types';
import { seededRandom } from '../../../src-shared/seeded-random';

/** Kinds of synthetic out-of-domain input. */
export const SYNTHETIC_OOD_KINDS = [
  'blank-glass',
  'heavy-blur',
  'pen-mark',
  'greyscale',
  'ihc-like',
  'noise',
  'gradient',
  'text-like',
] as const;

/** One of {@link SYNTHETIC_OOD_KINDS}. */
export type SyntheticOodKind = (typeof SYNTHETIC_OOD_KINDS)[number];

export { seededRandom };

function blankTile(sizePx: number): RgbTile {
  return { data: new Uint8Array(sizePx * sizePx * 3), widthPx: sizePx, heightPx: sizePx };
}

function mapPixels(
  tile: RgbTile,
  map: (r: number, g: number, b: number) => number[],
): RgbTile {
  const out = new Uint8Array(tile.data.length);
  for (let i = 0; i < tile.data.length; i += 3) {
    const [r, g, b] = map(tile.data[i]!, tile.data[i + 1]!, tile.data[i + 2]!);
    out[i] = r!;
    out[i + 1] = g!;
    out[i + 2] = b!;
  }
  return { ...tile, data: out };
}

/** Empty glass: near-white with faint sensor noise. */
export function blankGlass(sizePx: number, seed: number): RgbTile {
  const random = seededRandom(seed);
  const tile = blankTile(sizePx);
  const base = 236 + Math.floor(random() * 12);
  for (let i = 0; i < tile.data.length; i += 1)
    tile.data[i] = base + Math.floor(random() * 6) - 3;
  return tile;
}

/** Separable Gaussian blur with edge clamping; `sigmaPx` in tile pixels. */
export function gaussianBlur(tile: RgbTile, sigmaPx: number): RgbTile {
  const radius = Math.ceil(3 * sigmaPx);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigmaPx * sigmaPx)),
  );
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((k) => k / total);
  const horizontal = convolve(tile, weights, { dx: 1, dy: 0 });
  return convolve(horizontal, weights, { dx: 0, dy: 1 });
}

function convolve(
  tile: RgbTile,
  weights: number[],
  step: { dx: number; dy: number },
): RgbTile {
  const { widthPx, heightPx, data } = tile;
  const radius = (weights.length - 1) / 2;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < heightPx; y += 1) {
    for (let x = 0; x < widthPx; x += 1) {
      for (let c = 0; c < 3; c += 1) {
        let sum = 0;
        for (let k = -radius; k <= radius; k += 1) {
          const sx = Math.min(widthPx - 1, Math.max(0, x + k * step.dx));
          const sy = Math.min(heightPx - 1, Math.max(0, y + k * step.dy));
          sum += weights[k + radius]! * data[(sy * widthPx + sx) * 3 + c]!;
        }
        out[(y * widthPx + x) * 3 + c] = Math.round(sum);
      }
    }
  }
  return { ...tile, data: out };
}

/** Luminance copied into all three channels. */
export function greyscale(tile: RgbTile): RgbTile {
  return mapPixels(tile, (r, g, b) => {
    const grey = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    return [grey, grey, grey];
  });
}

/** Thick green and blue marker strokes across the tile, as a pathologist's pen leaves. */
export function penMark(tile: RgbTile, seed: number): RgbTile {
  const random = seededRandom(seed);
  const out = { ...tile, data: Uint8Array.from(tile.data) };
  const inks = [
    [40, 150, 70],
    [30, 60, 170],
  ];
  for (const [strokeIndex, ink] of inks.entries()) {
    const slope = random() * 2 - 1;
    const offset = tile.heightPx * (0.25 + 0.5 * random()) + strokeIndex * 20;
    const halfWidthPx = tile.heightPx * 0.08;
    for (let y = 0; y < tile.heightPx; y += 1) {
      for (let x = 0; x < tile.widthPx; x += 1) {
        if (Math.abs(y - (offset + slope * (x - tile.widthPx / 2))) > halfWidthPx)
          continue;
        const i = (y * tile.widthPx + x) * 3;
        for (let c = 0; c < 3; c += 1)
          out.data[i + c] = Math.round(0.25 * tile.data[i + c]! + 0.75 * ink[c]!);
      }
    }
  }
  return out;
}

// Ruifrok & Johnston stain vectors (optical density per RGB channel, unit length).
const HAEMATOXYLIN = [0.65, 0.7, 0.29];
const EOSIN = [0.07, 0.99, 0.11];
const DAB = [0.27, 0.57, 0.78];

/**
 * Re-stains an H&E tile as an IHC slide would look: the haematoxylin amount of each
 * pixel stays haematoxylin, the eosin amount becomes DAB brown.
 */
export function ihcLike(tile: RgbTile): RgbTile {
  return mapPixels(tile, (r, g, b) => {
    const od = [r, g, b].map((v) => -Math.log((v + 1) / 256));
    const h = Math.max(0, projectStains(od).h);
    const e = Math.max(0, projectStains(od).e);
    return [0, 1, 2].map((c) =>
      Math.round(
        Math.min(255, 255 * Math.exp(-(h * HAEMATOXYLIN[c]! * 0.5 + e * DAB[c]! * 2.5))),
      ),
    );
  });
}

/** Least-squares haematoxylin and eosin amounts of one optical-density vector. */
function projectStains(od: number[]): { h: number; e: number } {
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const hh = dot(HAEMATOXYLIN, HAEMATOXYLIN);
  const ee = dot(EOSIN, EOSIN);
  const he = dot(HAEMATOXYLIN, EOSIN);
  const ho = dot(HAEMATOXYLIN, od);
  const eo = dot(EOSIN, od);
  const det = hh * ee - he * he;
  return { h: (ee * ho - he * eo) / det, e: (hh * eo - he * ho) / det };
}

/** Non-tissue images: coloured noise, a colour gradient, or dark glyph-like bars on paper. */
export function nonTissue(
  kind: 'noise' | 'gradient' | 'text-like',
  sizePx: number,
  seed: number,
): RgbTile {
  const random = seededRandom(seed);
  const tile = blankTile(sizePx);
  const colourA = [random(), random(), random()].map((v) => 255 * v);
  const colourB = [random(), random(), random()].map((v) => 255 * v);
  for (let y = 0; y < sizePx; y += 1) {
    for (let x = 0; x < sizePx; x += 1) {
      const i = (y * sizePx + x) * 3;
      const t = (x + y) / (2 * sizePx);
      for (let c = 0; c < 3; c += 1) {
        if (kind === 'noise') tile.data[i + c] = Math.floor(random() * 256);
        else if (kind === 'gradient')
          tile.data[i + c] = Math.round(colourA[c]! * (1 - t) + colourB[c]! * t);
        else tile.data[i + c] = 245;
      }
    }
  }
  if (kind === 'text-like') drawGlyphRows(tile, random);
  return tile;
}

function drawGlyphRows(tile: RgbTile, random: () => number): void {
  const size = tile.widthPx;
  for (let lineTop = 12; lineTop + 14 < size; lineTop += 24) {
    let x = 10;
    while (x < size - 12) {
      const glyphWidth = 4 + Math.floor(random() * 8);
      if (random() > 0.15)
        fillRect(tile, { x, y: lineTop, width: glyphWidth, height: 14 });
      x += glyphWidth + 3;
    }
  }
}

function fillRect(
  tile: RgbTile,
  rect: { x: number; y: number; width: number; height: number },
) {
  for (let y = rect.y; y < Math.min(tile.heightPx, rect.y + rect.height); y += 1) {
    for (let x = rect.x; x < Math.min(tile.widthPx, rect.x + rect.width); x += 1) {
      const i = (y * tile.widthPx + x) * 3;
      tile.data[i] = 25;
      tile.data[i + 1] = 25;
      tile.data[i + 2] = 30;
    }
  }
}

/** Makes one synthetic OOD tile of `kind` from an in-domain tile (ignored by non-tissue kinds). */
export function makeSyntheticOod(
  kind: SyntheticOodKind,
  source: RgbTile,
  seed: number,
): RgbTile {
  switch (kind) {
    case 'blank-glass':
      return blankGlass(source.widthPx, seed);
    case 'heavy-blur':
      return gaussianBlur(source, 4);
    case 'pen-mark':
      return penMark(source, seed);
    case 'greyscale':
      return greyscale(source);
    case 'ihc-like':
      return ihcLike(source);
    default:
      return nonTissue(kind, source.widthPx, seed);
  }
}
