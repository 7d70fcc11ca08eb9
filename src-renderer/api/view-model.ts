/**
 * Decoded forms of the contract's binary payloads: the api client turns the
 * `ArrayBuffer`s it receives into these typed-array views once, so drawing code
 * never parses bytes. Coordinates are level-0 pixels unless a name says otherwise.
 */
import type { GridLayer } from '../../src-shared/ipc-result-schemas';

/**
 * Nuclei of one store chunk (one analysis tile), columnar views over the bytes the
 * store sent. Nucleus `i` owns the vertex pairs `contourOffsets[i] ..
 * contourOffsets[i + 1] - 1` of `contourBase` (x, y interleaved).
 */
export interface NucleiChunk {
  /** Unique within an analysis (the tile index); chunks never change once stored. */
  chunkKey: string;
  count: number;
  centroidsBase: Float32Array;
  classIndices: Uint8Array;
  contourOffsets: Uint32Array;
  contourBase: Float32Array;
}

/**
 * Nuclei per grid cell and class for the zoomed-out level of detail (a cell is an
 * analysis tile): `counts` is row-major with `countsPerCell` entries per cell, the
 * class index being the position (0 counts untyped nuclei).
 */
export interface DensityGrid {
  originBaseX: number;
  originBaseY: number;
  cellSizeBase: number;
  cols: number;
  rows: number;
  countsPerCell: number;
  counts: Uint32Array;
}

/** One viewport answer: a density grid (zoomed out) or nuclei chunks. */
export type NucleiViewportData =
  { kind: 'density'; density: DensityGrid } | { kind: 'nuclei'; chunks: NucleiChunk[] };

/** One heat-map layer over the region grid; `values` row-major, NaN without tissue. */
export interface HeatmapGrid {
  layer: GridLayer;
  originBaseX: number;
  originBaseY: number;
  cellSizeBase: number;
  cols: number;
  rows: number;
  values: Float32Array;
  unit: string;
  /** Smallest and largest finite value; `null` when the grid is empty. */
  range: { min: number; max: number } | null;
}
