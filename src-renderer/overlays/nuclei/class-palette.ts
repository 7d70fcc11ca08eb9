/**
 * Colours of nucleus classes for the legend and the GPU. Names and colours come
 * from the bundle manifest; index 0 (untyped) is a neutral grey.
 */
import { MAX_CLASSES } from './gl-shaders';

/** A class as the legend shows it. */
export interface LegendClass {
  index: number;
  name: string;
  /** PanNuke classes this class stands for; empty when it maps to none. */
  pannuke: string[];
  colorHex: string;
}

/** Untyped nuclei (bundles without a type head, or class 0). */
export const UNTYPED_CLASS: LegendClass = {
  index: 0,
  name: 'untyped',
  pannuke: [],
  colorHex: '#9e9e9e',
};

/** `#rrggbb` to 0..1 RGB; throws on anything else (manifest colours are validated). */
export function hexToRgb(colorHex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colorHex);
  if (!match) throw new RangeError(`Colour ${colorHex} is not #rrggbb.`);
  return [1, 2, 3].map((group) => parseInt(match[group] ?? '0', 16) / 255) as [
    number,
    number,
    number,
  ];
}

/**
 * The uniform colour table: RGBA per class index, alpha 0 for hidden classes (the
 * shader discards those) and for indices no class uses.
 */
export function buildClassColorTable(
  classes: readonly LegendClass[],
  hiddenClassIndices: ReadonlySet<number>,
): Float32Array {
  const table = new Float32Array(MAX_CLASSES * 4);
  for (const legendClass of classes) {
    if (legendClass.index < 0 || legendClass.index >= MAX_CLASSES) continue;
    const [red, green, blue] = hexToRgb(legendClass.colorHex);
    const at = legendClass.index * 4;
    table.set([red, green, blue, hiddenClassIndices.has(legendClass.index) ? 0 : 1], at);
  }
  return table;
}
