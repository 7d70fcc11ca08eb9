import { describe, expect, it } from 'vitest';
import {
  decodeNucleiChunk,
  NucleiChunkFormatError,
  nucleusPolygonBase,
  polygonContainsPoint,
} from '../../../src-shared/nuclei-chunk';
import { encodeTileNuclei } from '../../../src-main/store/nuclei-encoder';
import type { NucleusInput } from '../../../src-main/store/store-types';

const square = (x: number, y: number, closed = false): NucleusInput => ({
  polygonBase: closed
    ? [x, y, x + 4, y, x + 4, y + 4, x, y + 4, x, y]
    : [x, y, x + 4, y, x + 4, y + 4, x, y + 4],
  centroidBaseX: x + 2,
  centroidBaseY: y + 2,
  areaPx: 16,
  typeIndex: 2,
  typeProbabilities: [0.1, 0.2, 0.7],
  nucleusProbability: 0.9,
  nucleusEntropy: 0.2,
  typeEntropy: 0.4,
});

function decode(nuclei: NucleusInput[]) {
  const encoded = encodeTileNuclei(nuclei, 3);
  const bytes = encoded.chunk!;
  return {
    encoded,
    chunk: decodeNucleiChunk(
      bytes.buffer as ArrayBuffer,
      bytes.byteOffset,
      bytes.byteLength,
    ),
  };
}

describe('encodeTileNuclei', () => {
  it('drops the repeated closing vertex of a closed ring', () => {
    const { chunk } = decode([square(0, 0, true)]);
    expect(chunk.vertexCount).toBe(4);
    expect(Array.from(nucleusPolygonBase(chunk, 0))).toEqual([0, 0, 4, 0, 4, 4, 0, 4]);
  });

  it('computes the bounds of all polygons for the spatial index', () => {
    const { encoded } = decode([square(10, 20), square(-3, 50)]);
    expect(encoded.nucleiBounds).toEqual({ minX: -3, minY: 20, maxX: 14, maxY: 54 });
  });

  it('counts nuclei per type index', () => {
    const untyped = { ...square(0, 0), typeIndex: 0 };
    const { encoded } = decode([square(0, 0), square(5, 5), untyped]);
    expect(Array.from(encoded.countsByType)).toEqual([1, 0, 2]);
  });

  it('refuses a polygon with fewer than three vertices', () => {
    const line = { ...square(0, 0), polygonBase: [0, 0, 1, 1] };
    expect(() => encodeTileNuclei([line], 3)).toThrow(/2 vertices/);
  });

  it('returns no chunk for a tile without nuclei', () => {
    expect(encodeTileNuclei([], 3).chunk).toBeNull();
  });
});

describe('decodeNucleiChunk', () => {
  it('rejects bytes that are not a chunk', () => {
    expect(() => decodeNucleiChunk(new ArrayBuffer(64))).toThrow(NucleiChunkFormatError);
  });

  it('rejects a chunk whose length disagrees with its header', () => {
    const bytes = encodeTileNuclei([square(0, 0)], 3).chunk!;
    const truncated = bytes.buffer.slice(0, bytes.byteLength - 4) as ArrayBuffer;
    expect(() => decodeNucleiChunk(truncated)).toThrow(/header says/);
  });
});

describe('polygonContainsPoint', () => {
  it('tells inside from outside for a concave polygon', () => {
    const shapeL = [0, 0, 4, 0, 4, 1, 1, 1, 1, 4, 0, 4];
    expect(polygonContainsPoint(shapeL, 0.5, 3)).toBe(true);
    expect(polygonContainsPoint(shapeL, 3, 3)).toBe(false);
  });
});
