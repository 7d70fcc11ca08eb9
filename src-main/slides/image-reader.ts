/**
 * Reader for plain images (PNG, JPEG, single-image TIFF that no pyramid reader
 * takes) through sharp: one level, decoded once. Such files carry no trusted
 * calibration, so mpp is `null` until the user supplies it.
 */
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import type { SlideInfo } from '../../src-shared/slide-types';
import type {
  RegionReadOptions,
  RegionRequest,
  RgbImage,
  SlideReader,
} from './slide-reader';
import {
  AssociatedImageHiddenError,
  CorruptSlideError,
  SlideReadError,
} from './slide-errors';
import {
  assertPixelBudget,
  blit,
  validateRegionRequest,
  whiteImage,
} from './region-request';
import { readThumbnailVia } from './thumbnail';
import { decodeToRgb } from './jpeg-decode';

class ImageSlideReader implements SlideReader {
  readonly info: SlideInfo;

  constructor(
    private readonly image: RgbImage,
    context: { format: string; hasIccProfile: boolean },
  ) {
    this.info = {
      format: context.format,
      vendor: null,
      reader: 'image',
      widthPx: image.widthPx,
      heightPx: image.heightPx,
      levels: [
        {
          index: 0,
          widthPx: image.widthPx,
          heightPx: image.heightPx,
          downsample: 1,
          tileWidthPx: null,
          tileHeightPx: null,
        },
      ],
      mpp: null,
      objectivePower: null,
      associatedImages: [],
      hasIccProfile: context.hasIccProfile,
    };
  }

  async readRegion(
    request: RegionRequest,
    options?: RegionReadOptions,
  ): Promise<RgbImage> {
    validateRegionRequest(this.info, request);
    options?.signal?.throwIfAborted();
    const region = whiteImage(request.widthPx, request.heightPx, options?.into);
    blit(region, this.image, { x: -request.baseX, y: -request.baseY });
    return region;
  }

  readThumbnail(maxEdgePx: number, signal?: AbortSignal): Promise<RgbImage> {
    return readThumbnailVia(this, maxEdgePx, signal);
  }

  async readAssociatedImage(
    name: string,
    options: { allowIdentifying: boolean },
  ): Promise<RgbImage> {
    if (!options.allowIdentifying) throw new AssociatedImageHiddenError();
    throw new SlideReadError(`the image has no associated image "${name}"`);
  }

  async close(): Promise<void> {
    this.image.data = new Uint8Array();
  }
}

/** Opens a plain image; its size is checked before any pixel is decoded. */
export async function openImageSlide(path: string): Promise<SlideReader> {
  let metadata: Metadata;
  try {
    metadata = await sharp(path).metadata();
  } catch (error) {
    throw new CorruptSlideError('the image header cannot be read', { cause: error });
  }
  const widthPx = metadata.width ?? 0;
  const heightPx = metadata.height ?? 0;
  if (!(widthPx > 0 && heightPx > 0))
    throw new CorruptSlideError('the image has no size');
  assertPixelBudget(widthPx, heightPx);

  const image = await decodeToRgb(await readFile(path), 'the image');
  return new ImageSlideReader(image, {
    format: metadata.format ?? 'image',
    hasIccProfile: metadata.icc !== undefined,
  });
}
