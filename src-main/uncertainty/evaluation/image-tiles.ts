/**
 * Reads crops of plain images (PNG, JPEG) and label maps for evaluation, through
 * sharp. Label maps keep their bit depth (16-bit instance maps stay 16-bit).
 */
import sharp from 'sharp';
import type { Rect } from '../../../src-shared/geometry';
import type { RgbTile } from '../types';

/** Reads `rect` (image pixels) of an image as 8-bit RGB. */
export async function readRgbCrop(imagePath: string, rect: Rect): Promise<RgbTile> {
  const { data, info } = await sharp(imagePath)
    .extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    widthPx: info.width,
    heightPx: info.height,
  };
}

/** Width and height of an image in pixels. */
export async function imageSize(
  imagePath: string,
): Promise<{ widthPx: number; heightPx: number }> {
  const meta = await sharp(imagePath).metadata();
  if (!meta.width || !meta.height) throw new Error(`Image has no readable size.`);
  return { widthPx: meta.width, heightPx: meta.height };
}

/** Reads `rect` of a single-channel label map (8- or 16-bit) as integers. */
export async function readLabelCrop(labelPath: string, rect: Rect): Promise<Uint32Array> {
  const image = sharp(labelPath).extract({
    left: rect.x,
    top: rect.y,
    width: rect.width,
    height: rect.height,
  });
  const meta = await sharp(labelPath).metadata();
  const is16 = meta.depth === 'ushort';
  const { data, info } = await image
    .extractChannel(0)
    .toColourspace(is16 ? 'grey16' : 'b-w')
    .raw({ depth: is16 ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const count = info.width * info.height;
  const values = is16
    ? new Uint16Array(data.buffer, data.byteOffset, count)
    : new Uint8Array(data.buffer, data.byteOffset, count);
  return Uint32Array.from(values);
}
