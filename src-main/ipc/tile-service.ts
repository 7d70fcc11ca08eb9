/**
 * Renders Deep Zoom tiles for the viewer, shared by Electron's `cellvit-tile://`
 * protocol and the loopback `/tiles/` route: picks the pyramid level just finer than
 * the tile needs, reads the region, resizes it and encodes JPEG with sharp. Recent
 * tiles are kept in a small LRU cache by bytes.
 */
import sharp from 'sharp';
import { AppError } from '../../src-shared/errors';
import {
  deepZoomDownsample,
  deepZoomGeometry,
  deepZoomTileLevelRect,
} from '../../src-shared/deep-zoom';
import type { PyramidLevel } from '../../src-shared/slide-types';
import type { RgbImage } from '../slides/slide-reader';
import { LruCache } from './lru-cache';
import type { OpenSlides } from './open-slides';
import { formatTilePath, type TileAddress } from './tile-route';

const JPEG_QUALITY = 85;

/** The tile lies outside the slide's Deep Zoom pyramid. */
export class TileNotFoundError extends AppError {
  constructor() {
    super('INVALID_PAYLOAD', 'That tile is outside the slide pyramid.');
  }
}

/** Index of the coarsest level whose downsample does not exceed `downsample`. */
export function bestLevelForDownsample(
  levels: readonly PyramidLevel[],
  downsample: number,
): number {
  let best = 0;
  for (const level of levels) {
    const isFineEnough = level.downsample <= downsample * 1.01;
    if (isFineEnough && level.downsample > (levels[best]?.downsample ?? 1))
      best = level.index;
  }
  return best;
}

/** Encodes RGB pixels as JPEG, resized to the given size when it differs. */
export async function encodeJpeg(
  image: RgbImage,
  size: { widthPx: number; heightPx: number },
): Promise<Buffer> {
  const raw = { width: image.widthPx, height: image.heightPx, channels: 3 as const };
  let pipeline = sharp(image.data, { raw });
  if (size.widthPx !== image.widthPx || size.heightPx !== image.heightPx) {
    pipeline = pipeline.resize(size.widthPx, size.heightPx, { fit: 'fill' });
  }
  return pipeline.jpeg({ quality: JPEG_QUALITY, mozjpeg: false }).toBuffer();
}

/** Renders and caches tiles. */
export class TileService {
  readonly #slides: OpenSlides;
  readonly #cache: LruCache<string, Buffer>;

  constructor(options: { slides: OpenSlides; cacheBytes?: number }) {
    this.#slides = options.slides;
    this.#cache = new LruCache({ maxCost: options.cacheBytes ?? 64 * 1024 * 1024 });
  }

  /** JPEG bytes of one tile. */
  async readTile(address: TileAddress, signal?: AbortSignal): Promise<Buffer> {
    const key = formatTilePath(address);
    const cached = this.#cache.get(key);
    if (cached) return cached;

    const jpeg = await this.#renderTile(address, signal);
    this.#cache.set(key, jpeg, jpeg.byteLength);
    return jpeg;
  }

  /** Drops the cached tiles of a slide (after it is removed). */
  forgetSlide(slideId: string): void {
    this.#cache.deleteWhere((key) => key.startsWith(`${slideId}/`));
  }

  async #renderTile(address: TileAddress, signal?: AbortSignal): Promise<Buffer> {
    const reader = await this.#slides.get(address.slideId);
    const geometry = deepZoomGeometry(reader.info.widthPx, reader.info.heightPx);
    const levelRect = deepZoomTileLevelRect(geometry, address);
    if (!levelRect) throw new TileNotFoundError();

    const downsample = deepZoomDownsample(geometry, address.level);
    const slideLevel = bestLevelForDownsample(reader.info.levels, downsample);
    const levelDownsample = reader.info.levels[slideLevel]?.downsample ?? 1;
    const scale = downsample / levelDownsample;

    const image = await reader.readRegion(
      {
        level: slideLevel,
        baseX: Math.round(levelRect.x * downsample),
        baseY: Math.round(levelRect.y * downsample),
        widthPx: Math.max(1, Math.ceil(levelRect.width * scale)),
        heightPx: Math.max(1, Math.ceil(levelRect.height * scale)),
      },
      { signal },
    );
    return encodeJpeg(image, { widthPx: levelRect.width, heightPx: levelRect.height });
  }
}
