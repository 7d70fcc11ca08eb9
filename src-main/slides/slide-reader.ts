/**
 * The one interface every slide reader implements (OpenSlide, geotiff, DICOM,
 * plain images). Coordinates follow OpenSlide's convention: a region's origin is
 * in level-0 pixels, its size in pixels of the level read.
 */
import type { SlideInfo } from '../../src-shared/slide-types';

/** 8-bit RGB pixels, interleaved, row-major, no padding. */
export interface RgbImage {
  data: Uint8Array;
  widthPx: number;
  heightPx: number;
}

/** A region request: origin in level-0 pixels, size in pixels of `level`. */
export interface RegionRequest {
  level: number;
  baseX: number;
  baseY: number;
  widthPx: number;
  heightPx: number;
}

/** How a region is read: whether it may be cancelled, and where its pixels go. */
export interface RegionReadOptions {
  signal?: AbortSignal;
  /**
   * Bytes to write the region into, exactly `widthPx * heightPx * 3` of them; the
   * image returned then holds these bytes. A caller reading region after region
   * into one buffer spares each read an allocation and the page faults of fresh
   * memory.
   */
  into?: Uint8Array;
}

export interface SlideReader {
  readonly info: SlideInfo;
  /** Reads a region as RGB; pixels outside the slide are white. */
  readRegion(request: RegionRequest, options?: RegionReadOptions): Promise<RgbImage>;
  /** A downscaled whole-slide image whose longer edge is at most `maxEdgePx`. */
  readThumbnail(maxEdgePx: number, signal?: AbortSignal): Promise<RgbImage>;
  /**
   * An associated image (label, macro). These may show patient identifiers, so
   * the caller must pass `allowIdentifying: true` to get one.
   */
  readAssociatedImage(
    name: string,
    options: { allowIdentifying: boolean },
  ): Promise<RgbImage>;
  close(): Promise<void>;
}
