import { describe, expect, it } from 'vitest';
import {
  buildChunkGeometry,
  PRIMITIVE_RESTART_UINT32,
} from '../../../src-renderer/overlays/nuclei/chunk-geometry';
import { twoSquareChunk } from './test-chunks';

describe('buildChunkGeometry', () => {
  it('stores every contour vertex then one centroid per nucleus, each with its class', () => {
    const geometry = buildChunkGeometry(twoSquareChunk());
    expect(geometry.vertices.length).toBe((8 + 2) * 3);
    expect([...geometry.vertices.subarray(0, 3)]).toEqual([5, 5, 1]);
    expect([...geometry.vertices.subarray(8 * 3, 8 * 3 + 6)]).toEqual([
      10, 10, 1, 40, 10, 2,
    ]);
  });

  it('separates outline loops with the primitive-restart index', () => {
    const { outlineIndices } = buildChunkGeometry(twoSquareChunk());
    expect([...outlineIndices]).toEqual([
      0,
      1,
      2,
      3,
      PRIMITIVE_RESTART_UINT32,
      4,
      5,
      6,
      7,
      PRIMITIVE_RESTART_UINT32,
    ]);
  });

  it('fans each nucleus from its centroid into one triangle per contour edge', () => {
    const { fillIndices } = buildChunkGeometry(twoSquareChunk());
    expect(fillIndices.length).toBe(8 * 3);
    expect([...fillIndices.subarray(0, 12)]).toEqual([
      8, 0, 1, 8, 1, 2, 8, 2, 3, 8, 3, 0,
    ]);
  });

  it('refuses a chunk whose offsets disagree with its contour points', () => {
    const broken = { ...twoSquareChunk(), contourOffsets: new Uint32Array([0, 4, 9]) };
    expect(() => buildChunkGeometry(broken)).toThrow(/inconsistent/);
  });
});
