/**
 * Turns the contract's packed `ArrayBuffer` payloads into typed-array views, once,
 * checking that each buffer has the length its counts imply.
 */
import type {
  NucleiChunk as ChunkPayload,
  NucleiViewport,
  UncertaintyGrid,
} from '../../src-shared/ipc-result-schemas';
import { decodeNucleiChunk } from '../../src-shared/nuclei-chunk';
import type {
  DensityGrid,
  HeatmapGrid,
  NucleiChunk,
  NucleiViewportData,
} from './view-model';

/** A payload whose buffers do not match its counts: a server or transport defect. */
export class PayloadShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadShapeError';
  }
}

function expectLength(what: string, actual: number, expected: number): void {
  if (actual !== expected) {
    throw new PayloadShapeError(`${what} holds ${actual} values, expected ${expected}.`);
  }
}

/** Views over one chunk's bytes (no copy); throws when they are not a valid chunk. */
export function decodeChunk(payload: ChunkPayload): NucleiChunk {
  const view = decodeNucleiChunk(payload.bytes);
  expectLength(
    `Chunk of tile ${payload.tileIndex}`,
    view.nucleusCount,
    payload.nucleusCount,
  );
  return {
    chunkKey: String(payload.tileIndex),
    count: view.nucleusCount,
    centroidsBase: view.centroidsBase,
    classIndices: view.typeIndices,
    contourOffsets: view.vertexOffsets,
    contourBase: view.polygonsBase,
  };
}

type DensityPayload = Extract<NucleiViewport, { kind: 'density' }>;

/**
 * Places each analysis tile's counts into a regular grid. Analysis tiles form a
 * grid whose cell is the widest tile (edge tiles may be narrower), so a tile's cell
 * is its origin's offset from the first tile divided by that width.
 */
export function decodeDensity(payload: DensityPayload): DensityGrid {
  const rects = new Float32Array(payload.tileRectsBase);
  const tileCounts = new Int32Array(payload.countsByType);
  const stride = payload.classCount;
  expectLength('Density tile rectangles', rects.length, 4 * payload.tileCount);
  expectLength('Density counts', tileCounts.length, payload.tileCount * stride);

  let originX = Infinity;
  let originY = Infinity;
  let cellSize = 0;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let tile = 0; tile < payload.tileCount; tile++) {
    const [x, y, width, height] = rects.subarray(4 * tile, 4 * tile + 4);
    originX = Math.min(originX, x!);
    originY = Math.min(originY, y!);
    maxX = Math.max(maxX, x! + width!);
    maxY = Math.max(maxY, y! + height!);
    cellSize = Math.max(cellSize, width!, height!);
  }
  if (payload.tileCount === 0 || cellSize <= 0) {
    return {
      originBaseX: 0,
      originBaseY: 0,
      cellSizeBase: 1,
      cols: 0,
      rows: 0,
      countsPerCell: stride,
      counts: new Uint32Array(0),
    };
  }

  const cols = Math.ceil((maxX - originX) / cellSize);
  const rows = Math.ceil((maxY - originY) / cellSize);
  const counts = new Uint32Array(cols * rows * stride);
  for (let tile = 0; tile < payload.tileCount; tile++) {
    const col = Math.floor((rects[4 * tile]! - originX) / cellSize + 1e-3);
    const row = Math.floor((rects[4 * tile + 1]! - originY) / cellSize + 1e-3);
    const cell = row * cols + col;
    for (let classIndex = 0; classIndex < stride; classIndex++) {
      const at = cell * stride + classIndex;
      counts[at] =
        (counts[at] ?? 0) + Math.max(0, tileCounts[tile * stride + classIndex] ?? 0);
    }
  }
  return {
    originBaseX: originX,
    originBaseY: originY,
    cellSizeBase: cellSize,
    cols,
    rows,
    countsPerCell: stride,
    counts,
  };
}

/** Decodes a `nuclei:viewport` answer. */
export function decodeNucleiViewport(payload: NucleiViewport): NucleiViewportData {
  if (payload.kind === 'nuclei') {
    return { kind: 'nuclei', chunks: payload.chunks.map(decodeChunk) };
  }
  return { kind: 'density', density: decodeDensity(payload) };
}

/** Decodes an `uncertainty:grid` answer. */
export function decodeHeatmapGrid(payload: UncertaintyGrid): HeatmapGrid {
  const values = new Float32Array(payload.values);
  expectLength(`The ${payload.layer} grid`, values.length, payload.cols * payload.rows);
  return {
    layer: payload.layer,
    originBaseX: payload.originBase.x,
    originBaseY: payload.originBase.y,
    cellSizeBase: payload.cellSizeBase,
    cols: payload.cols,
    rows: payload.rows,
    values,
    unit: payload.unit,
    range: payload.range,
  };
}
