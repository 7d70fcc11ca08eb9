/**
 * The reference reader: OpenSlide through koffi. Every call is followed by
 * `openslide_get_error`, so a tile OpenSlide cannot decode reaches the caller as
 * an error instead of silently zeroed pixels.
 */
import type { PyramidLevel, SlideInfo } from '../../../src-shared/slide-types';
import { resolveMpp, type MppSources } from '../../../src-shared/units';
import type {
  RegionReadOptions,
  RegionRequest,
  RgbImage,
  SlideReader,
} from '../slide-reader';
import {
  AssociatedImageHiddenError,
  CorruptSlideError,
  SlideReadError,
} from '../slide-errors';
import {
  assertPixelBudget,
  regionBuffer,
  throwIfAborted,
  validateRegionRequest,
} from '../region-request';
import { readThumbnailVia } from '../thumbnail';
import { parseOmePhysicalSize } from '../tiff/tiff-layout';
import { premultipliedArgbToRgb, premultipliedArgbToRgbInto } from './argb';
import { BlockingReadPolicy } from './blocking-read-policy';
import type { OpenSlideHandle, OpenSlideLibrary } from './openslide-library';
import { PixelBufferPool } from './pixel-buffer-pool';
import { compileArgbConverter, WasmArgbPool } from './wasm-argb-pool';

/** Pixels per native call: bounds each call's time so an abort is honoured between chunks. */
const PIXELS_PER_CHUNK = 4 * 1024 * 1024;

/**
 * Longest read, in milliseconds, allowed to block the calling thread unless the
 * opener says otherwise: 50 ms, the usual bound of a "long task", so that the
 * analysis process and the command line read model tiles (1-10 ms each) on
 * their own thread while a read of several megapixels still goes to a worker.
 */
export const DEFAULT_BLOCKING_READ_BUDGET_MS = 50;

/**
 * Destination buffers shared by every OpenSlide reader. Reads go to wasm buffers
 * where WebAssembly SIMD is available, and to plain ones when it is not or the
 * read is over a megapixel; each pool keeps at most 4 buffers of at most 1
 * megapixel (4 MiB), and in practice only one of the two is used.
 */
const MAX_KEPT_BUFFERS = 4;
const MAX_KEPT_BUFFER_PX = 1024 * 1024;
const destinations = new PixelBufferPool(MAX_KEPT_BUFFERS, MAX_KEPT_BUFFER_PX);
let wasmDestinations: WasmArgbPool | null | undefined;

/** One read's destination pixels, how they become RGB, and how they are handed back. */
interface Destination {
  pixels: Uint32Array;
  writeRgb(rgb: Uint8Array): void;
  release(): void;
}

function takeDestination(pixelCount: number): Destination {
  if (wasmDestinations === undefined) {
    const converter = compileArgbConverter();
    wasmDestinations = converter
      ? new WasmArgbPool(converter, MAX_KEPT_BUFFERS, MAX_KEPT_BUFFER_PX)
      : null;
  }
  const pool = wasmDestinations;
  const buffer = pool?.take(pixelCount);
  if (pool && buffer) {
    return {
      pixels: buffer.pixels(pixelCount),
      writeRgb: (rgb) => buffer.copyRgbInto(rgb),
      release: () => pool.give(buffer),
    };
  }
  const pixels = destinations.take(pixelCount);
  return {
    pixels,
    writeRgb: (rgb) => premultipliedArgbToRgbInto(pixels, rgb),
    release: () => destinations.give(pixels),
  };
}

type NativeRect = Parameters<OpenSlideLibrary['readRegionAsync']>[1];

class OpenSlideReader implements SlideReader {
  readonly info: SlideInfo;
  private handle: OpenSlideHandle | null;
  private readonly blocking: BlockingReadPolicy;

  constructor(
    private readonly lib: OpenSlideLibrary,
    handle: OpenSlideHandle,
    blockingReadBudgetMs: number,
  ) {
    this.handle = handle;
    this.info = describe(lib, handle);
    this.blocking = new BlockingReadPolicy(blockingReadBudgetMs);
  }

  private live(): OpenSlideHandle {
    if (!this.handle) throw new SlideReadError('the slide has been closed');
    return this.handle;
  }

  /** Throws when OpenSlide has recorded an error; the handle is unusable afterwards. */
  private check(action: string): void {
    const message = this.lib.getError(this.live());
    if (message !== null) {
      throw new CorruptSlideError(`OpenSlide could not ${action}: ${message}`);
    }
  }

  /** Runs `openslide_read_region`, on this thread when the read should be short. */
  private async nativeRead(
    dest: Uint32Array,
    level: number,
    rect: NativeRect,
  ): Promise<void> {
    const pixelCount = rect.widthPx * rect.heightPx;
    const args = { handle: this.live(), dest, level };
    const startedMs = performance.now();
    try {
      if (this.blocking.canBlock(pixelCount)) this.lib.readRegion(args, rect);
      else await this.lib.readRegionAsync(args, rect);
    } catch (error) {
      throw new SlideReadError('the native OpenSlide call failed', { cause: error });
    }
    this.blocking.record(pixelCount, performance.now() - startedMs);
  }

  /** Reads `rect` of `level` through OpenSlide and writes its RGB into `rgb`. */
  private async readChunk(
    level: number,
    rect: NativeRect,
    rgb: Uint8Array,
  ): Promise<void> {
    const dest = takeDestination(rect.widthPx * rect.heightPx);
    try {
      await this.nativeRead(dest.pixels, level, rect);
      this.check('decode a tile of this region');
      dest.writeRgb(rgb);
    } finally {
      // The native call has finished (or never started), so the buffer is free.
      dest.release();
    }
  }

  async readRegion(
    request: RegionRequest,
    options?: RegionReadOptions,
  ): Promise<RgbImage> {
    validateRegionRequest(this.info, request);
    const { widthPx, heightPx, level } = request;
    const signal = options?.signal;
    const rgb = regionBuffer(widthPx, heightPx, options?.into);
    const downsample = this.info.levels[level]!.downsample;
    // Chunk only where level rows map to whole level-0 rows, so chunks join exactly;
    // whole groups of four rows keep each chunk's RGB word-aligned for the fast path.
    const rowsPerChunk = Number.isInteger(downsample)
      ? Math.max(1, Math.floor(PIXELS_PER_CHUNK / widthPx / 4) * 4)
      : heightPx;

    for (let row = 0; row < heightPx; row += rowsPerChunk) {
      throwIfAborted(signal);
      const rows = Math.min(rowsPerChunk, heightPx - row);
      const baseY = request.baseY + Math.round(row * downsample);
      const rect = { baseX: request.baseX, baseY, widthPx, heightPx: rows };
      const target = rgb.subarray(row * widthPx * 3, (row + rows) * widthPx * 3);
      await this.readChunk(level, rect, target);
    }
    throwIfAborted(signal);
    return { data: rgb, widthPx, heightPx };
  }

  readThumbnail(maxEdgePx: number, signal?: AbortSignal): Promise<RgbImage> {
    return readThumbnailVia(this, maxEdgePx, signal);
  }

  async readAssociatedImage(
    name: string,
    options: { allowIdentifying: boolean },
  ): Promise<RgbImage> {
    if (!options.allowIdentifying) throw new AssociatedImageHiddenError();
    if (!this.info.associatedImages.includes(name)) {
      throw new SlideReadError(`the slide has no associated image "${name}"`);
    }
    const [widthPx, heightPx] = this.lib.getAssociatedImageDimensions(this.live(), name);
    this.check('read an associated image size');
    assertPixelBudget(widthPx, heightPx);
    const dest = new Uint32Array(widthPx * heightPx);
    this.lib.readAssociatedImage(this.live(), name, dest);
    this.check('decode an associated image');
    return { data: premultipliedArgbToRgb(dest), widthPx, heightPx };
  }

  async close(): Promise<void> {
    if (this.handle) this.lib.close(this.handle);
    this.handle = null;
  }
}

/** Returns `value` after confirming OpenSlide recorded no error while the metadata was read. */
function checked<T>(lib: OpenSlideLibrary, handle: OpenSlideHandle, value: T): T {
  const error = lib.getError(handle);
  if (error !== null)
    throw new CorruptSlideError(`OpenSlide could not read its metadata: ${error}`);
  return value;
}

function properties(lib: OpenSlideLibrary, handle: OpenSlideHandle): Map<string, string> {
  const map = new Map<string, string>();
  for (const name of lib.getPropertyNames(handle)) {
    const value = lib.getPropertyValue(handle, name);
    if (value !== null) map.set(name, value);
  }
  return map;
}

function levels(
  lib: OpenSlideLibrary,
  handle: OpenSlideHandle,
  props: Map<string, string>,
): PyramidLevel[] {
  return Array.from({ length: lib.getLevelCount(handle) }, (_, index) => {
    const [widthPx, heightPx] = lib.getLevelDimensions(handle, index);
    const tileWidth = Number(props.get(`openslide.level[${index}].tile-width`));
    const tileHeight = Number(props.get(`openslide.level[${index}].tile-height`));
    return {
      index,
      widthPx,
      heightPx,
      downsample: lib.getLevelDownsample(handle, index),
      tileWidthPx: tileWidth > 0 ? tileWidth : null,
      tileHeightPx: tileHeight > 0 ? tileHeight : null,
    };
  });
}

/** The calibration sources OpenSlide exposes, TIFF and OME tags included. */
export function mppSourcesFromProperties(props: Map<string, string>): MppSources {
  const number = (name: string) => Number(props.get(name));
  const mppX = number('openslide.mpp-x');
  const mppY = number('openslide.mpp-y');
  const xRes = number('tiff.XResolution');
  const yRes = number('tiff.YResolution');
  const unitName = props.get('tiff.ResolutionUnit');
  const unit = unitName === 'centimeter' ? 3 : unitName === 'inch' ? 2 : 1;
  return {
    openslideMpp: mppX > 0 && mppY > 0 ? { x: mppX, y: mppY } : undefined,
    tiffResolution:
      xRes > 0 && yRes > 0
        ? { pixelsPerUnitX: xRes, pixelsPerUnitY: yRes, unit }
        : undefined,
    omePhysicalSize: parseOmePhysicalSize(props.get('tiff.ImageDescription') ?? ''),
    aperioMpp: number('aperio.MPP') > 0 ? number('aperio.MPP') : undefined,
  };
}

function describe(lib: OpenSlideLibrary, handle: OpenSlideHandle): SlideInfo {
  const props = properties(lib, handle);
  const pyramid = levels(lib, handle, props);
  const base = pyramid[0];
  if (!base) throw new CorruptSlideError('OpenSlide found no pyramid level');
  const vendor = props.get('openslide.vendor') ?? null;
  const isOme = /<OME[\s>]/.test(props.get('tiff.ImageDescription') ?? '');
  const objective = Number(
    props.get('openslide.objective-power') ?? props.get('aperio.AppMag'),
  );
  return {
    format: isOme
      ? 'ome-tiff'
      : vendor === 'aperio'
        ? 'aperio-svs'
        : (vendor ?? 'unknown'),
    vendor,
    reader: 'openslide',
    widthPx: base.widthPx,
    heightPx: base.heightPx,
    levels: pyramid,
    mpp: resolveMpp(mppSourcesFromProperties(props)),
    objectivePower: objective > 0 ? objective : null,
    associatedImages: checked(lib, handle, lib.getAssociatedImageNames(handle)),
    hasIccProfile:
      props.has('openslide.icc-size') ||
      /ICC Profile/.test(props.get('tiff.ImageDescription') ?? ''),
  };
}

/**
 * Opens `path` with OpenSlide; `null` when OpenSlide does not recognise the
 * format (so the pure-JS readers may try), a typed error when it recognises the
 * format but the file is damaged. Reads expected to take at most
 * `blockingReadBudgetMs` run on the calling thread, longer ones on a worker.
 */
export async function openWithOpenSlide(
  lib: OpenSlideLibrary,
  path: string,
  blockingReadBudgetMs = DEFAULT_BLOCKING_READ_BUDGET_MS,
): Promise<SlideReader | null> {
  if (lib.detectVendor(path) === null) return null;
  const handle = lib.open(path);
  if (handle === null) return null;
  const error = lib.getError(handle);
  if (error !== null) {
    lib.close(handle);
    throw new CorruptSlideError(`OpenSlide could not open it: ${error}`);
  }
  return new OpenSlideReader(lib, handle, blockingReadBudgetMs);
}
