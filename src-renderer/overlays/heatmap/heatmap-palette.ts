/**
 * Colours of the heat-map layers. The two uncertainty layers use sequential
 * palettes (lavender to purple, pale to deep blue) that avoid the verdict colours,
 * which stay reserved for verdicts. The verdict layer adds a texture per verdict
 * (dots for Review, stripes for Out-of-domain) so colour is never the only cue.
 */
import { VERDICT_PRESENTATION, VERDICTS } from '../../../src-shared/verdict';
import type { HeatmapGrid } from '../../api/view-model';
import { hexToRgb } from '../nuclei/class-palette';

type Rgb = [number, number, number];

/** Low and high ends of each sequential palette, 0..255. */
export const SEQUENTIAL_PALETTES: Readonly<Record<'aleatoric' | 'ood', [Rgb, Rgb]>> = {
  aleatoric: [
    [237, 231, 246],
    [74, 20, 140],
  ],
  ood: [
    [227, 242, 253],
    [13, 71, 161],
  ],
};

/** Texels drawn per grid cell: enough for the verdict textures to read. */
export const TEXELS_PER_CELL = 8;

/** Linear interpolation between the palette ends for `t` in 0..1 (clamped). */
export function sequentialColor(palette: [Rgb, Rgb], t: number): Rgb {
  const clamped = Math.min(1, Math.max(0, t));
  const [low, high] = palette;
  return [0, 1, 2].map((channel) =>
    Math.round(low[channel]! + (high[channel]! - low[channel]!) * clamped),
  ) as Rgb;
}

/**
 * Normalises a cell value to 0..1 for its layer: entropy is already 0..1; OOD
 * distance is scaled so the out-of-domain threshold sits at 0.5 (or by the grid's
 * maximum when there is no threshold).
 */
export function normaliseCellValue(
  grid: HeatmapGrid,
  value: number,
  oodThreshold: number | null,
): number {
  if (grid.layer === 'aleatoric') return value;
  const scale =
    oodThreshold !== null && oodThreshold > 0 ? 2 * oodThreshold : (grid.range?.max ?? 1);
  return scale > 0 ? value / scale : 0;
}

function verdictTexel(
  verdictCode: number,
  texelX: number,
  texelY: number,
): [...Rgb, number] | null {
  const verdict = VERDICTS[verdictCode];
  if (!verdict) return null;
  const rgb = hexToRgb(VERDICT_PRESENTATION[verdict].colorHex).map((c) =>
    Math.round(c * 255),
  ) as Rgb;
  const isDot = texelX % 4 === 1 && texelY % 4 === 1;
  const isStripe = (texelX + texelY) % 4 < 2;
  if (verdict === 'review' && isDot) return [...rgb, 255];
  if (verdict === 'out-of-domain' && isStripe) return [...rgb, 255];
  return [...rgb, 110];
}

/** RGBA texels (`cols * TEXELS_PER_CELL` wide), transparent where there is no tissue. */
export function buildHeatmapTexels(
  grid: HeatmapGrid,
  oodThreshold: number | null,
): Uint8ClampedArray {
  const width = grid.cols * TEXELS_PER_CELL;
  const texels = new Uint8ClampedArray(width * grid.rows * TEXELS_PER_CELL * 4);
  for (let row = 0; row < grid.rows; row++) {
    for (let col = 0; col < grid.cols; col++) {
      const value = grid.values[row * grid.cols + col] ?? Number.NaN;
      if (Number.isNaN(value)) continue;
      for (let dy = 0; dy < TEXELS_PER_CELL; dy++) {
        for (let dx = 0; dx < TEXELS_PER_CELL; dx++) {
          const x = col * TEXELS_PER_CELL + dx;
          const y = row * TEXELS_PER_CELL + dy;
          const rgba = cellTexel(grid, value, { x, y, oodThreshold });
          if (rgba) texels.set(rgba, (y * width + x) * 4);
        }
      }
    }
  }
  return texels;
}

function cellTexel(
  grid: HeatmapGrid,
  value: number,
  at: { x: number; y: number; oodThreshold: number | null },
): [...Rgb, number] | null {
  if (grid.layer === 'verdict') return verdictTexel(Math.round(value), at.x, at.y);
  const t = normaliseCellValue(grid, value, at.oodThreshold);
  return [...sequentialColor(SEQUENTIAL_PALETTES[grid.layer], t), 200];
}
