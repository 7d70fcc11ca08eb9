/**
 * Decodes one TIFF tile or strip to RGB: JPEG through sharp, everything geotiff
 * supports (none, LZW, Deflate, PackBits, ...) through geotiff's decoders.
 */
import type { FileHandle } from 'node:fs/promises';
import { getDecoder, type BaseDecoder } from 'geotiff';
import type { RgbImage } from '../slide-reader';
import { completeJpegStream, decodeToRgb } from '../jpeg-decode';
import {
  CorruptSlideError,
  SlideReadError,
  UnsupportedSlideFormatError,
} from '../slide-errors';
import type { TiffDirectory } from './tiff-directory';

const JPEG = 7;
const OLD_JPEG = 6;
const PHOTOMETRIC_MIN_IS_BLACK = 1;
const PHOTOMETRIC_RGB = 2;

/** Throws {@link UnsupportedSlideFormatError} for pixel layouts this decoder cannot handle. */
export function assertDecodable(dir: TiffDirectory): void {
  const is8Bit = dir.bitsPerSample.every((bits) => bits === 8);
  if (dir.compression === OLD_JPEG) {
    throw new UnsupportedSlideFormatError('old-style TIFF JPEG compression');
  }
  if (!is8Bit || dir.planarConfiguration !== 1) {
    throw new UnsupportedSlideFormatError(
      `${dir.bitsPerSample.join('/')}-bit samples, planar configuration ${dir.planarConfiguration}`,
    );
  }
  const isGreyOrRgb =
    dir.photometric === PHOTOMETRIC_MIN_IS_BLACK || dir.photometric === PHOTOMETRIC_RGB;
  if (dir.compression !== JPEG && !isGreyOrRgb) {
    throw new UnsupportedSlideFormatError(
      `photometric interpretation ${dir.photometric}`,
    );
  }
}

/** Reads the encoded bytes of block `index` from the file. */
export async function readBlockBytes(
  file: FileHandle,
  dir: TiffDirectory,
  index: number,
): Promise<Uint8Array | null> {
  const byteCount = dir.blockByteCounts[index] ?? 0;
  if (byteCount === 0) return null;
  const bytes = new Uint8Array(byteCount);
  try {
    const { bytesRead } = await file.read(bytes, 0, byteCount, dir.blockOffsets[index]);
    if (bytesRead !== byteCount) {
      throw new CorruptSlideError('a tile is cut short by the end of the file');
    }
  } catch (error) {
    if (error instanceof CorruptSlideError) throw error;
    throw new SlideReadError('the file could not be read from disk', { cause: error });
  }
  return bytes;
}

const decoders = new WeakMap<TiffDirectory, Promise<BaseDecoder>>();

function decoderFor(dir: TiffDirectory): Promise<BaseDecoder> {
  let decoder = decoders.get(dir);
  if (!decoder) {
    decoder = getDecoder(dir.compression, {
      tileWidth: dir.blockWidthPx,
      tileHeight: dir.blockHeightPx,
      predictor: dir.predictor,
      bitsPerSample: dir.bitsPerSample,
      planarConfiguration: dir.planarConfiguration,
      samplesPerPixel: dir.samplesPerPixel,
    });
    decoders.set(dir, decoder);
  }
  return decoder;
}

/** Interleaved samples (1-4 per pixel) to RGB; grey is replicated, alpha dropped. */
function samplesToRgb(
  samples: Uint8Array,
  context: { dir: TiffDirectory; pixels: number },
): Uint8Array {
  const { dir, pixels } = context;
  const spp = dir.samplesPerPixel;
  if (spp === 3) return samples.subarray(0, pixels * 3);
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const isGrey = spp < 3;
    rgb[i * 3] = samples[i * spp]!;
    rgb[i * 3 + 1] = samples[i * spp + (isGrey ? 0 : 1)]!;
    rgb[i * 3 + 2] = samples[i * spp + (isGrey ? 0 : 2)]!;
  }
  return rgb;
}

async function decodeWithGeotiff(
  bytes: Uint8Array,
  block: { dir: TiffDirectory; index: number },
): Promise<RgbImage> {
  const { dir, index } = block;
  const decoder = await decoderFor(dir);
  let decoded: ArrayBufferLike;
  try {
    decoded = await decoder.decode(bytes.slice().buffer);
  } catch (error) {
    throw new CorruptSlideError('a tile could not be decompressed', { cause: error });
  }
  // The last strip of a stripped image holds only the rows that remain.
  const blockRow = Math.floor(index / Math.ceil(dir.widthPx / dir.blockWidthPx));
  const heightPx = dir.isTiled
    ? dir.blockHeightPx
    : Math.min(dir.blockHeightPx, dir.heightPx - blockRow * dir.blockHeightPx);
  const pixels = dir.blockWidthPx * heightPx;
  const samples = new Uint8Array(decoded);
  if (samples.length < pixels * dir.samplesPerPixel) {
    throw new CorruptSlideError('a tile decompressed to fewer pixels than it declares');
  }
  const data = samplesToRgb(samples, { dir, pixels });
  return { data, widthPx: dir.blockWidthPx, heightPx };
}

/** Decodes block `index` of `dir`; `null` for a block the file leaves empty. */
export async function decodeBlock(
  file: FileHandle,
  dir: TiffDirectory,
  index: number,
): Promise<RgbImage | null> {
  const bytes = await readBlockBytes(file, dir, index);
  if (!bytes) return null;
  if (dir.compression !== JPEG) return decodeWithGeotiff(bytes, { dir, index });

  const stream = completeJpegStream(bytes, {
    jpegTables: dir.jpegTables,
    isRgbColourSpace: dir.photometric === PHOTOMETRIC_RGB,
  });
  const tile = await decodeToRgb(stream, 'a JPEG tile');
  if (tile.widthPx < Math.min(dir.blockWidthPx, dir.widthPx) || tile.heightPx < 1) {
    throw new CorruptSlideError('a JPEG tile is smaller than the tile size it declares');
  }
  return tile;
}
