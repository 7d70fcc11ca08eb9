/**
 * Reads one model tile: the tile's level-0 rectangle at the pyramid level the grid
 * chose, resampled with sharp to the bundle's tile size at its target mpp.
 */
import sharp from 'sharp';
import type { Rect } from '../../src-shared/geometry';
import type { TilePlacement } from '../../src-shared/nucleus-types';
import type { SlideInfo } from '../../src-shared/slide-types';
import type { RgbImage, SlideReader } from '../slides/slide-reader';

/** The sharp kernel tiles are resampled with; backbone outputs depend on it. */
export const RESAMPLE_KERNEL = 'lanczos3';

/** A tile as the model sees it: `tileSizePx` square RGB at the target mpp. */
export interface ModelTile {
  rgb: RgbImage;
  /** How tile pixels map to level-0 pixels. */
  placement: TilePlacement;
}

/** Where and how to read a tile. */
export interface TileReadSpec {
  /** The whole tile (with overlap), level-0 pixels. */
  baseRect: Rect;
  /** Pyramid level to read. */
  level: number;
  /** Edge of the model tile, pixels at the target mpp. */
  tileSizePx: number;
}

/** Reads and resamples one tile; pixels outside the slide come back white. */
export async function readModelTile(
  reader: SlideReader,
  spec: TileReadSpec,
  signal?: AbortSignal,
): Promise<ModelTile> {
  const levelSize = levelSizeOf(reader.info, spec);
  const raw = await reader.readRegion(
    {
      level: spec.level,
      baseX: spec.baseRect.x,
      baseY: spec.baseRect.y,
      widthPx: levelSize.widthPx,
      heightPx: levelSize.heightPx,
    },
    { signal },
  );
  const rgb = await resampleRgb(raw, spec.tileSizePx, spec.tileSizePx);

  return {
    rgb,
    placement: {
      originBaseX: spec.baseRect.x,
      originBaseY: spec.baseRect.y,
      basePerTilePx: spec.baseRect.width / spec.tileSizePx,
    },
  };
}

/** Size of the tile's rectangle in pixels of the level read. */
function levelSizeOf(
  info: SlideInfo,
  spec: TileReadSpec,
): { widthPx: number; heightPx: number } {
  const downsample = info.levels[spec.level]?.downsample;
  if (downsample === undefined) {
    throw new RangeError(
      `Level ${spec.level} does not exist (levels: ${info.levels.length}).`,
    );
  }
  return {
    widthPx: Math.max(1, Math.round(spec.baseRect.width / downsample)),
    heightPx: Math.max(1, Math.round(spec.baseRect.height / downsample)),
  };
}

/**
 * Resizes RGB pixels to exactly `widthPx` x `heightPx`. Downsampling uses a Lanczos
 * kernel, which keeps nuclear borders sharper than bilinear filtering; an image that
 * already has the size is returned as is.
 */
export async function resampleRgb(
  image: RgbImage,
  widthPx: number,
  heightPx: number,
): Promise<RgbImage> {
  if (image.widthPx === widthPx && image.heightPx === heightPx) return image;

  const { data, info } = await sharp(image.data, {
    raw: { width: image.widthPx, height: image.heightPx, channels: 3 },
  })
    .resize(widthPx, heightPx, { fit: 'fill', kernel: RESAMPLE_KERNEL })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    widthPx: info.width,
    heightPx: info.height,
  };
}
