/**
 * One nuclei chunk on the GPU: a single vertex-buffer upload (contour vertices then
 * centroids), two index buffers, and two vertex-array objects: one reads the vertex
 * buffer with the outline indices (points are a plain draw of its centroid range),
 * one with the fill indices.
 */
import type { NucleiChunk } from '../../api/view-model';
import { buildChunkGeometry, FLOATS_PER_VERTEX } from './chunk-geometry';

const STRIDE_BYTES = FLOATS_PER_VERTEX * 4;

/** Attribute locations shared by every chunk. */
export interface NucleiAttributes {
  base: number;
  classIndex: number;
}

/** GPU resources and counts of one chunk. */
export interface GpuChunk {
  key: string;
  nucleusCount: number;
  contourVertexCount: number;
  /** First centroid in the vertex buffer; points draw `nucleusCount` vertices from here. */
  firstCentroidVertex: number;
  outlineIndexCount: number;
  fillIndexCount: number;
  centreBaseX: number;
  centreBaseY: number;
  outlineVao: WebGLVertexArrayObject;
  fillVao: WebGLVertexArrayObject;
  buffers: WebGLBuffer[];
}

function uploadBuffer(
  gl: WebGL2RenderingContext,
  target: number,
  data: ArrayBufferView,
): WebGLBuffer {
  const buffer = gl.createBuffer();
  gl.bindBuffer(target, buffer);
  gl.bufferData(target, data, gl.STATIC_DRAW);
  return buffer;
}

function bindVertexAttributes(
  gl: WebGL2RenderingContext,
  attributes: NucleiAttributes,
): void {
  gl.enableVertexAttribArray(attributes.base);
  gl.vertexAttribPointer(attributes.base, 2, gl.FLOAT, false, STRIDE_BYTES, 0);
  gl.enableVertexAttribArray(attributes.classIndex);
  gl.vertexAttribPointer(attributes.classIndex, 1, gl.FLOAT, false, STRIDE_BYTES, 8);
}

function makeVao(gl: WebGL2RenderingContext, setUp: () => void): WebGLVertexArrayObject {
  const vao = gl.createVertexArray();
  gl.bindVertexArray(vao);
  setUp();
  gl.bindVertexArray(null);
  return vao;
}

function centreOf(centroidsBase: Float32Array): { x: number; y: number } {
  let sumX = 0;
  let sumY = 0;
  const count = centroidsBase.length / 2;
  for (let index = 0; index < count; index++) {
    sumX += centroidsBase[index * 2] ?? 0;
    sumY += centroidsBase[index * 2 + 1] ?? 0;
  }
  return count > 0 ? { x: sumX / count, y: sumY / count } : { x: 0, y: 0 };
}

/** Uploads a chunk: one vertex buffer and its two index buffers. */
export function uploadChunk(
  gl: WebGL2RenderingContext,
  chunk: NucleiChunk,
  attributes: NucleiAttributes,
): GpuChunk {
  const geometry = buildChunkGeometry(chunk);
  // Index buffers are created on the element target while no VAO is bound: WebGL
  // fixes a buffer's target at its first bind.
  gl.bindVertexArray(null);
  const vertexBuffer = uploadBuffer(gl, gl.ARRAY_BUFFER, geometry.vertices);
  const outlineBuffer = uploadBuffer(
    gl,
    gl.ELEMENT_ARRAY_BUFFER,
    geometry.outlineIndices,
  );
  const fillBuffer = uploadBuffer(gl, gl.ELEMENT_ARRAY_BUFFER, geometry.fillIndices);

  const indexedVao = (indexBuffer: WebGLBuffer) =>
    makeVao(gl, () => {
      gl.bindBuffer(gl.ARRAY_BUFFER, vertexBuffer);
      bindVertexAttributes(gl, attributes);
      gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, indexBuffer);
    });

  const centre = centreOf(chunk.centroidsBase);
  return {
    key: chunk.chunkKey,
    nucleusCount: geometry.nucleusCount,
    contourVertexCount: geometry.contourVertexCount,
    firstCentroidVertex: geometry.firstCentroidVertex,
    outlineIndexCount: geometry.outlineIndices.length,
    fillIndexCount: geometry.fillIndices.length,
    centreBaseX: centre.x,
    centreBaseY: centre.y,
    outlineVao: indexedVao(outlineBuffer),
    fillVao: indexedVao(fillBuffer),
    buffers: [vertexBuffer, outlineBuffer, fillBuffer],
  };
}

/** Frees a chunk's GPU resources. */
export function deleteChunk(gl: WebGL2RenderingContext, chunk: GpuChunk): void {
  gl.deleteVertexArray(chunk.outlineVao);
  gl.deleteVertexArray(chunk.fillVao);
  for (const buffer of chunk.buffers) gl.deleteBuffer(buffer);
}
