/**
 * The columnar layout of one tile's nuclei ("chunk"), shared by the store that
 * writes it and the viewer that draws it straight from the bytes with WebGL.
 *
 * Layout, little-endian, every section 4-byte aligned (N nuclei, V vertices, C classes):
 * header Uint32[8] = magic, version, N, V, C, 0, 0, 0; vertexOffsets Uint32[N + 1]
 * (nucleus i owns vertices offsets[i]..offsets[i+1]); polygonsBase Float32[2V];
 * centroidsBase Float32[2N]; areasPx Float32[N]; nucleusProbabilities Float32[N];
 * nucleusEntropies Float32[N]; typeEntropies Float32[N]; typeProbabilities
 * Float32[N * C] (row per nucleus); typeIndices Uint8[N], padded to 4 bytes.
 * Coordinates are level-0 pixels; polygons are open rings (first vertex not repeated).
 */

/** `NUC1` read as a little-endian Uint32. */
export const NUCLEI_CHUNK_MAGIC = 0x3143554e;
/** Bumped whenever the layout changes; decoders refuse other versions. */
export const NUCLEI_CHUNK_VERSION = 1;

const HEADER_WORDS = 8;

/** Zero-copy views into one chunk. */
export interface NucleiChunkView {
  nucleusCount: number;
  vertexCount: number;
  classCount: number;
  vertexOffsets: Uint32Array;
  polygonsBase: Float32Array;
  centroidsBase: Float32Array;
  areasPx: Float32Array;
  nucleusProbabilities: Float32Array;
  nucleusEntropies: Float32Array;
  typeEntropies: Float32Array;
  typeProbabilities: Float32Array;
  typeIndices: Uint8Array;
}

/** Thrown when bytes are not a chunk of the supported version. */
export class NucleiChunkFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NucleiChunkFormatError';
  }
}

function align4(bytes: number): number {
  return (bytes + 3) & ~3;
}

/** Size in bytes of a chunk with the given counts. */
export function nucleiChunkByteLength(counts: {
  nucleusCount: number;
  vertexCount: number;
  classCount: number;
}): number {
  const { nucleusCount: n, vertexCount: v, classCount: c } = counts;
  const words = HEADER_WORDS + (n + 1) + 2 * v + 2 * n + 4 * n + n * c;
  return words * 4 + align4(n);
}

/**
 * Lays out views over `buffer` for the given counts (used by both the encoder,
 * on a fresh buffer, and the decoder, on stored bytes).
 */
export function layoutNucleiChunk(
  buffer: ArrayBuffer,
  byteOffset: number,
  counts: { nucleusCount: number; vertexCount: number; classCount: number },
): NucleiChunkView {
  const { nucleusCount: n, vertexCount: v, classCount: c } = counts;
  let offset = byteOffset + HEADER_WORDS * 4;
  const take = <T>(make: (at: number) => T, bytes: number): T => {
    const view = make(offset);
    offset += bytes;
    return view;
  };

  return {
    nucleusCount: n,
    vertexCount: v,
    classCount: c,
    vertexOffsets: take((at) => new Uint32Array(buffer, at, n + 1), (n + 1) * 4),
    polygonsBase: take((at) => new Float32Array(buffer, at, 2 * v), 8 * v),
    centroidsBase: take((at) => new Float32Array(buffer, at, 2 * n), 8 * n),
    areasPx: take((at) => new Float32Array(buffer, at, n), 4 * n),
    nucleusProbabilities: take((at) => new Float32Array(buffer, at, n), 4 * n),
    nucleusEntropies: take((at) => new Float32Array(buffer, at, n), 4 * n),
    typeEntropies: take((at) => new Float32Array(buffer, at, n), 4 * n),
    typeProbabilities: take((at) => new Float32Array(buffer, at, n * c), 4 * n * c),
    typeIndices: take((at) => new Uint8Array(buffer, at, n), align4(n)),
  };
}

/** Writes the header of a chunk laid out at `byteOffset`. */
export function writeNucleiChunkHeader(
  buffer: ArrayBuffer,
  byteOffset: number,
  counts: { nucleusCount: number; vertexCount: number; classCount: number },
): void {
  const header = new Uint32Array(buffer, byteOffset, HEADER_WORDS);
  header[0] = NUCLEI_CHUNK_MAGIC;
  header[1] = NUCLEI_CHUNK_VERSION;
  header[2] = counts.nucleusCount;
  header[3] = counts.vertexCount;
  header[4] = counts.classCount;
}

/**
 * Zero-copy views over a stored chunk. `byteOffset` must be a multiple of 4
 * (the store's viewport buffers guarantee it).
 */
export function decodeNucleiChunk(
  buffer: ArrayBuffer,
  byteOffset = 0,
  byteLength = buffer.byteLength - byteOffset,
): NucleiChunkView {
  if (byteOffset % 4 !== 0) {
    throw new NucleiChunkFormatError(`chunk offset ${byteOffset} is not 4-byte aligned`);
  }
  if (byteLength < HEADER_WORDS * 4) {
    throw new NucleiChunkFormatError(`chunk of ${byteLength} bytes has no header`);
  }

  const header = new Uint32Array(buffer, byteOffset, HEADER_WORDS);
  if (header[0] !== NUCLEI_CHUNK_MAGIC || header[1] !== NUCLEI_CHUNK_VERSION) {
    throw new NucleiChunkFormatError(
      `not a version ${NUCLEI_CHUNK_VERSION} nuclei chunk (magic ${header[0]}, version ${header[1]})`,
    );
  }

  const counts = {
    nucleusCount: header[2]!,
    vertexCount: header[3]!,
    classCount: header[4]!,
  };
  const expected = nucleiChunkByteLength(counts);
  if (expected !== byteLength) {
    throw new NucleiChunkFormatError(
      `chunk is ${byteLength} bytes, its header says ${expected}`,
    );
  }
  return layoutNucleiChunk(buffer, byteOffset, counts);
}

/** Vertices of nucleus `index` as a flat `[x0, y0, ...]` view, level-0 px. */
export function nucleusPolygonBase(chunk: NucleiChunkView, index: number): Float32Array {
  const start = chunk.vertexOffsets[index]!;
  const end = chunk.vertexOffsets[index + 1]!;
  return chunk.polygonsBase.subarray(2 * start, 2 * end);
}

/** Even-odd test of a point against a flat polygon ring, level-0 px. */
export function polygonContainsPoint(
  polygonBase: ArrayLike<number>,
  baseX: number,
  baseY: number,
): boolean {
  let isInside = false;
  const vertexCount = polygonBase.length / 2;
  for (let i = 0, j = vertexCount - 1; i < vertexCount; j = i++) {
    const xi = polygonBase[2 * i]!;
    const yi = polygonBase[2 * i + 1]!;
    const xj = polygonBase[2 * j]!;
    const yj = polygonBase[2 * j + 1]!;
    const crosses = yi > baseY !== yj > baseY;
    if (crosses && baseX < ((xj - xi) * (baseY - yi)) / (yj - yi) + xi)
      isInside = !isInside;
  }
  return isInside;
}
