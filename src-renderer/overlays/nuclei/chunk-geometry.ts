/**
 * Turns a columnar nuclei chunk into the arrays the GPU draws, in one vertex
 * buffer per chunk: every contour vertex, then one centroid per nucleus; each
 * vertex is (baseX, baseY, classIndex) as float32. Outlines index it as line loops
 * separated by the WebGL2 primitive-restart index; fills as a fan from the centroid
 * (exact for star-shaped contours, which watershed nuclei are in practice).
 */
import type { NucleiChunk } from '../../api/view-model';

/** Floats per vertex: baseX, baseY, classIndex. */
export const FLOATS_PER_VERTEX = 3;

/** WebGL2 always restarts a strip or loop at the largest index of the index type. */
export const PRIMITIVE_RESTART_UINT32 = 0xffffffff;

/** GPU-ready arrays of one chunk. */
export interface ChunkGeometry {
  vertices: Float32Array;
  contourVertexCount: number;
  /** Index of the first centroid vertex (= `contourVertexCount`). */
  firstCentroidVertex: number;
  nucleusCount: number;
  outlineIndices: Uint32Array;
  fillIndices: Uint32Array;
}

/** Throws when a chunk's columns disagree in length: a store or transport defect. */
function checkChunk(chunk: NucleiChunk): void {
  const { count, centroidsBase, classIndices, contourOffsets, contourBase } = chunk;
  const isConsistent =
    centroidsBase.length === 2 * count &&
    classIndices.length === count &&
    contourOffsets.length === count + 1 &&
    (contourOffsets[count] ?? 0) * 2 === contourBase.length;
  if (!isConsistent) {
    throw new RangeError(
      `Nuclei chunk ${chunk.chunkKey} is inconsistent: ${count} nuclei but ` +
        `${centroidsBase.length / 2} centroids, ${classIndices.length} classes, ` +
        `${contourOffsets.length - 1} contours.`,
    );
  }
}

function fillVertices(chunk: NucleiChunk, vertices: Float32Array): void {
  const contourVertexCount = chunk.contourBase.length / 2;
  for (let nucleus = 0; nucleus < chunk.count; nucleus++) {
    const classIndex = chunk.classIndices[nucleus] ?? 0;
    const start = chunk.contourOffsets[nucleus] ?? 0;
    const end = chunk.contourOffsets[nucleus + 1] ?? start;
    for (let vertex = start; vertex < end; vertex++) {
      vertices[vertex * 3] = chunk.contourBase[vertex * 2] ?? 0;
      vertices[vertex * 3 + 1] = chunk.contourBase[vertex * 2 + 1] ?? 0;
      vertices[vertex * 3 + 2] = classIndex;
    }
    const centroidAt = (contourVertexCount + nucleus) * 3;
    vertices[centroidAt] = chunk.centroidsBase[nucleus * 2] ?? 0;
    vertices[centroidAt + 1] = chunk.centroidsBase[nucleus * 2 + 1] ?? 0;
    vertices[centroidAt + 2] = classIndex;
  }
}

function buildOutlineIndices(chunk: NucleiChunk): Uint32Array {
  const contourVertexCount = chunk.contourBase.length / 2;
  const indices = new Uint32Array(contourVertexCount + chunk.count);
  let at = 0;
  for (let nucleus = 0; nucleus < chunk.count; nucleus++) {
    const start = chunk.contourOffsets[nucleus] ?? 0;
    const end = chunk.contourOffsets[nucleus + 1] ?? start;
    for (let vertex = start; vertex < end; vertex++) indices[at++] = vertex;
    indices[at++] = PRIMITIVE_RESTART_UINT32;
  }
  return indices;
}

function buildFillIndices(chunk: NucleiChunk): Uint32Array {
  const contourVertexCount = chunk.contourBase.length / 2;
  const indices = new Uint32Array(contourVertexCount * 3);
  let at = 0;
  for (let nucleus = 0; nucleus < chunk.count; nucleus++) {
    const start = chunk.contourOffsets[nucleus] ?? 0;
    const end = chunk.contourOffsets[nucleus + 1] ?? start;
    if (end - start < 3) continue;
    const centroid = contourVertexCount + nucleus;
    for (let vertex = start; vertex < end; vertex++) {
      indices[at++] = centroid;
      indices[at++] = vertex;
      indices[at++] = vertex + 1 < end ? vertex + 1 : start;
    }
  }
  return indices.subarray(0, at);
}

/** Builds the vertex and index arrays of a chunk; throws on an inconsistent chunk. */
export function buildChunkGeometry(chunk: NucleiChunk): ChunkGeometry {
  checkChunk(chunk);
  const contourVertexCount = chunk.contourBase.length / 2;
  const vertices = new Float32Array(
    (contourVertexCount + chunk.count) * FLOATS_PER_VERTEX,
  );
  fillVertices(chunk, vertices);

  return {
    vertices,
    contourVertexCount,
    firstCentroidVertex: contourVertexCount,
    nucleusCount: chunk.count,
    outlineIndices: buildOutlineIndices(chunk),
    fillIndices: buildFillIndices(chunk),
  };
}
