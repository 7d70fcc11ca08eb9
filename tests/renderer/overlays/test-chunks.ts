/** Small hand-made nuclei chunks for renderer tests. */
import type { NucleiChunk } from '../../../src-renderer/api/view-model';

/** A square nucleus of `half` px half-size centred at (cx, cy). */
function squareContour(cx: number, cy: number, half: number): number[] {
  return [
    cx - half,
    cy - half,
    cx + half,
    cy - half,
    cx + half,
    cy + half,
    cx - half,
    cy + half,
  ];
}

/** Two square nuclei: class 1 at (10, 10), class 2 at (40, 10), 4 vertices each. */
export function twoSquareChunk(): NucleiChunk {
  return {
    chunkKey: '7',
    count: 2,
    centroidsBase: new Float32Array([10, 10, 40, 10]),
    classIndices: new Uint8Array([1, 2]),
    contourOffsets: new Uint32Array([0, 4, 8]),
    contourBase: new Float32Array([
      ...squareContour(10, 10, 5),
      ...squareContour(40, 10, 5),
    ]),
  };
}
