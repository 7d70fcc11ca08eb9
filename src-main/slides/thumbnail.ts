/**
 * Whole-slide thumbnails for any reader: read the smallest level that is still
 * at least as large as asked, then shrink it with sharp (area-averaging).
 */
import sharp from 'sharp';
import type { SlideInfo } from '../../src-shared/slide-types';
import type { RegionReadOptions, RegionRequest, RgbImage } from './slide-reader';
import { SlideReadError } from './slide-errors';

/** Resizes an RGB image to exactly `widthPx` x `heightPx`. */
export async function resizeRgb(
  image: RgbImage,
  size: { widthPx: number; heightPx: number },
): Promise<RgbImage> {
  if (image.widthPx === size.widthPx && image.heightPx === size.heightPx) return image;
  const raw = { width: image.widthPx, height: image.heightPx, channels: 3 as const };
  const data = await sharp(image.data, { raw })
    .resize(size.widthPx, size.heightPx, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...size };
}

/** The request that reads a whole level, choosing the smallest level with an edge >= `maxEdgePx`. */
export function thumbnailSourceLevel(info: SlideInfo, maxEdgePx: number): RegionRequest {
  if (!(Number.isInteger(maxEdgePx) && maxEdgePx >= 1)) {
    throw new SlideReadError(`thumbnail size ${maxEdgePx} px must be a positive integer`);
  }
  const fitting = info.levels.filter(
    (level) => Math.max(level.widthPx, level.heightPx) >= maxEdgePx,
  );
  const level = fitting.at(-1) ?? info.levels[0]!;
  return {
    level: level.index,
    baseX: 0,
    baseY: 0,
    widthPx: level.widthPx,
    heightPx: level.heightPx,
  };
}

/** The thumbnail size for a slide: aspect kept, longer edge `maxEdgePx` (never enlarged). */
export function thumbnailSize(
  info: SlideInfo,
  maxEdgePx: number,
): { widthPx: number; heightPx: number } {
  const scale = Math.min(1, maxEdgePx / Math.max(info.widthPx, info.heightPx));
  return {
    widthPx: Math.max(1, Math.round(info.widthPx * scale)),
    heightPx: Math.max(1, Math.round(info.heightPx * scale)),
  };
}

/** Reads a thumbnail through `readRegion`, for readers without a faster path. */
export async function readThumbnailVia(
  reader: {
    info: SlideInfo;
    readRegion(r: RegionRequest, o?: RegionReadOptions): Promise<RgbImage>;
  },
  maxEdgePx: number,
  signal?: AbortSignal,
): Promise<RgbImage> {
  const request = thumbnailSourceLevel(reader.info, maxEdgePx);
  const levelImage = await reader.readRegion(request, { signal });
  return resizeRgb(levelImage, thumbnailSize(reader.info, maxEdgePx));
}
