import { describe, expect, it } from 'vitest';
import { encodeTileNuclei } from '../../../src-main/store/nuclei-encoder';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import {
  decodeChunk,
  decodeHeatmapGrid,
  decodeNucleiViewport,
  PayloadShapeError,
} from '../../../src-renderer/api/payload-decoders';

const spec = {
  tileSizePx: 256,
  tileColumns: 2,
  tileRows: 2,
  nucleiPerTile: 5,
  typeClassCount: 3,
  verticesPerNucleus: 12,
  seed: 3,
};

function storedChunkBytes(): ArrayBuffer {
  const tile = syntheticTile(spec, 1);
  const encoded = encodeTileNuclei(tile.nuclei, spec.typeClassCount + 1);
  if (!encoded.chunk) throw new Error('the synthetic tile has nuclei');
  const bytes = encoded.chunk;
  return bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
}

describe('payload-decoders', () => {
  it('reads the store chunk layout into centroids, classes and contours', () => {
    const tile = syntheticTile(spec, 1);
    const chunk = decodeChunk({
      tileIndex: 1,
      nucleusCount: 5,
      bytes: storedChunkBytes(),
    });
    expect(chunk.count).toBe(5);
    expect(chunk.contourOffsets[5]).toBe(5 * 12);
    expect(chunk.centroidsBase[0]).toBeCloseTo(tile.nuclei[0]!.centroidBaseX, 3);
    expect(chunk.classIndices[2]).toBe(tile.nuclei[2]!.typeIndex);
  });

  it('refuses a chunk whose nucleus count differs from what the message says', () => {
    expect(() =>
      decodeChunk({ tileIndex: 1, nucleusCount: 6, bytes: storedChunkBytes() }),
    ).toThrow(PayloadShapeError);
  });

  it('places each analysis tile of a density answer in its grid cell', () => {
    // Tiles (0,0) and (1,1) of a 512 px grid, the second one narrower (slide edge).
    const grid = decodeNucleiViewport({
      kind: 'density',
      classCount: 2,
      tileCount: 2,
      tileRectsBase: new Float32Array([0, 0, 512, 512, 512, 512, 300, 512]).buffer,
      countsByType: new Int32Array([1, 2, 0, 5]).buffer,
      totalNuclei: 8,
    });
    if (grid.kind !== 'density') throw new Error('expected density');
    expect(grid.density).toMatchObject({
      cols: 2,
      rows: 2,
      cellSizeBase: 512,
      countsPerCell: 2,
    });
    expect([...grid.density.counts]).toEqual([1, 2, 0, 0, 0, 0, 0, 5]);
  });

  it('refuses a density answer whose counts do not fill tiles x classes', () => {
    const payload = {
      kind: 'density' as const,
      classCount: 2,
      tileCount: 2,
      tileRectsBase: new Float32Array(8).buffer,
      countsByType: new Int32Array(3).buffer,
      totalNuclei: 0,
    };
    expect(() => decodeNucleiViewport(payload)).toThrow(
      /Density counts holds 3 values, expected 4/,
    );
  });

  it('reads a heat-map grid with NaN kept for cells without tissue', () => {
    const grid = decodeHeatmapGrid({
      layer: 'aleatoric',
      originBase: { x: 0, y: 0 },
      cellSizeBase: 512,
      cols: 2,
      rows: 1,
      values: new Float32Array([0.25, Number.NaN]).buffer,
      unit: 'normalised entropy, 0 to 1',
      range: { min: 0.25, max: 0.25 },
    });
    expect(grid.values[0]).toBe(0.25);
    expect(Number.isNaN(grid.values[1])).toBe(true);
  });
});
