/**
 * JPEG tile decoding through sharp (libjpeg-turbo, off the JS thread), with the
 * two TIFF quirks that matter for slides: shared tables stored once in the
 * JPEGTables tag, and Aperio's RGB (not YCbCr) JPEG streams.
 */
import sharp from 'sharp';
import type { RgbImage } from './slide-reader';
import { CorruptSlideError } from './slide-errors';

const SOI = [0xff, 0xd8];

/**
 * An Adobe APP14 segment with transform 0: tells libjpeg the three components
 * are R, G, B and must not be converted from YCbCr. Aperio writes RGB JPEG tiles
 * (TIFF Photometric = RGB) without JFIF or Adobe markers, and a decoder left to
 * its default would treat them as YCbCr and shift every colour.
 */
const ADOBE_RGB_SEGMENT = Uint8Array.from([
  0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00,
  0x00, 0x00,
]);

/** How a tile's JPEG stream must be completed before decoding. */
export interface JpegTileOptions {
  /** The TIFF JPEGTables value (SOI, DQT/DHT segments, EOI), if the file has one. */
  jpegTables?: Uint8Array;
  /** True when the components are RGB rather than YCbCr (TIFF Photometric = 2). */
  isRgbColourSpace: boolean;
}

/** Builds a complete JPEG stream from an abbreviated TIFF tile. */
export function completeJpegStream(
  tile: Uint8Array,
  options: JpegTileOptions,
): Uint8Array {
  if (tile[0] !== SOI[0] || tile[1] !== SOI[1]) {
    throw new CorruptSlideError('a JPEG tile does not start with a JPEG marker');
  }
  const tables = options.jpegTables
    ? options.jpegTables.subarray(2, -2)
    : new Uint8Array();
  const adobe = options.isRgbColourSpace ? ADOBE_RGB_SEGMENT : new Uint8Array();
  const body = tile.subarray(2);
  const stream = new Uint8Array(2 + adobe.length + tables.length + body.length);
  stream.set(SOI, 0);
  stream.set(adobe, 2);
  stream.set(tables, 2 + adobe.length);
  stream.set(body, 2 + adobe.length + tables.length);
  return stream;
}

/**
 * Decodes a complete JPEG (or any format sharp reads) to 8-bit RGB; throws
 * {@link CorruptSlideError} when the data cannot be decoded.
 */
export async function decodeToRgb(encoded: Uint8Array, what: string): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(encoded, {
      failOn: 'error',
      limitInputPixels: 1 << 26,
    })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rgb = info.channels === 3 ? data : expandToRgb(data, info.channels);
    return {
      data: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength),
      widthPx: info.width,
      heightPx: info.height,
    };
  } catch (error) {
    throw new CorruptSlideError(`${what} could not be decoded`, { cause: error });
  }
}

function expandToRgb(data: Uint8Array, channels: number): Uint8Array {
  const pixels = data.length / channels;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const grey = data[i * channels]!;
    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = grey;
  }
  return rgb;
}
