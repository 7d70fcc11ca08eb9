import { describe, expect, it } from 'vitest';
import type { HeatmapGrid } from '../../../src-renderer/api/view-model';
import {
  buildHeatmapTexels,
  normaliseCellValue,
  sequentialColor,
  SEQUENTIAL_PALETTES,
  TEXELS_PER_CELL,
} from '../../../src-renderer/overlays/heatmap/heatmap-palette';

function grid(layer: HeatmapGrid['layer'], values: number[]): HeatmapGrid {
  return {
    layer,
    originBaseX: 0,
    originBaseY: 0,
    cellSizeBase: 256,
    cols: values.length,
    rows: 1,
    values: new Float32Array(values),
    unit: '',
    range: { min: 0, max: 10 },
  };
}

function texelAt(
  texels: Uint8ClampedArray,
  width: number,
  x: number,
  y: number,
): number[] {
  return [...texels.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
}

describe('heatmap-palette', () => {
  it('maps 0 and 1 to the palette ends', () => {
    const palette = SEQUENTIAL_PALETTES.aleatoric;
    expect(sequentialColor(palette, 0)).toEqual(palette[0]);
    expect(sequentialColor(palette, 1)).toEqual(palette[1]);
  });

  it('puts the out-of-domain threshold in the middle of the OOD scale', () => {
    expect(normaliseCellValue(grid('ood', [5]), 5, 5)).toBe(0.5);
  });

  it('leaves cells without tissue transparent', () => {
    const texels = buildHeatmapTexels(grid('aleatoric', [Number.NaN]), null);
    expect(texels.every((value) => value === 0)).toBe(true);
  });

  it('stripes out-of-domain cells so the verdict does not rest on colour alone', () => {
    const texels = buildHeatmapTexels(grid('verdict', [2]), null);
    const alphas = new Set<number>();
    for (let x = 0; x < TEXELS_PER_CELL; x++)
      alphas.add(texelAt(texels, TEXELS_PER_CELL, x, 0)[3]!);
    expect(alphas.size).toBe(2);
  });

  it('draws reliable cells as a plain tint', () => {
    const texels = buildHeatmapTexels(grid('verdict', [0]), null);
    const alphas = new Set<number>();
    for (let x = 0; x < TEXELS_PER_CELL; x++)
      alphas.add(texelAt(texels, TEXELS_PER_CELL, x, 1)[3]!);
    expect([...alphas]).toEqual([110]);
  });
});
