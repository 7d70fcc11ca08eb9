/**
 * Pixels of the zoomed-out density texture: one texel per grid cell, coloured by
 * the cell's most frequent visible class, opacity growing with the number of
 * visible nuclei (square root, so sparse tissue stays visible next to dense tumour).
 */
import type { DensityGrid } from '../../api/view-model';
import { hexToRgb, type LegendClass } from './class-palette';

const MIN_ALPHA = 0.2;
const MAX_ALPHA = 0.85;

function dominantVisibleClass(
  grid: DensityGrid,
  cell: number,
  isVisible: (classIndex: number) => boolean,
): { classIndex: number; count: number } {
  const stride = grid.countsPerCell;
  let best = { classIndex: -1, count: 0 };
  let total = 0;
  for (let classIndex = 0; classIndex < stride; classIndex++) {
    if (!isVisible(classIndex)) continue;
    const count = grid.counts[cell * stride + classIndex] ?? 0;
    total += count;
    if (count > best.count) best = { classIndex, count };
  }
  return { classIndex: best.classIndex, count: total };
}

/** RGBA8 texels, row-major, `cols * rows * 4` bytes; empty cells are transparent. */
export function buildDensityTexels(
  grid: DensityGrid,
  classes: readonly LegendClass[],
  hiddenClassIndices: ReadonlySet<number>,
): Uint8Array {
  const colors = new Map(classes.map((entry) => [entry.index, hexToRgb(entry.colorHex)]));
  const isVisible = (index: number) =>
    colors.has(index) && !hiddenClassIndices.has(index);
  const cellCount = grid.cols * grid.rows;
  const dominant = Array.from({ length: cellCount }, (_, cell) =>
    dominantVisibleClass(grid, cell, isVisible),
  );
  const maxCount = dominant.reduce((max, entry) => Math.max(max, entry.count), 1);

  const texels = new Uint8Array(cellCount * 4);
  dominant.forEach(({ classIndex, count }, cell) => {
    const rgb = colors.get(classIndex);
    if (!rgb || count === 0) return;
    const alpha = MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * Math.sqrt(count / maxCount);
    texels.set(
      [...rgb.map((channel) => Math.round(channel * 255)), Math.round(alpha * 255)],
      cell * 4,
    );
  });
  return texels;
}
