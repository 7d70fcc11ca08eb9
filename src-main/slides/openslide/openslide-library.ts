/**
 * Binds the OpenSlide C library through koffi. The library is optional: when no
 * `libopenslide.so` can be loaded, {@link loadOpenSlideLibrary} returns `null`
 * and the pure-JS readers take over.
 */
import koffi, { type LibraryHandle } from 'koffi';

type KoffiFunction = ReturnType<LibraryHandle['func']>;
import { createLogger } from '../../logging/logger';
import { keepTileBuffersOnHeap } from './heap-tuning';

const log = createLogger('slides.openslide');

/** Candidate sonames, newest ABI first (OpenSlide 4 ships .so.1, 3.x ships .so.0). */
const LIBRARY_NAMES = ['libopenslide.so.1', 'libopenslide.so.0', 'libopenslide.dylib'];

/** An opaque `openslide_t *`. */
export type OpenSlideHandle = object;

type AsyncCallback<T> = (error: unknown, result: T) => void;

/** The OpenSlide entry points the readers use; names follow the C API. */
export interface OpenSlideLibrary {
  version: string;
  detectVendor(path: string): string | null;
  open(path: string): OpenSlideHandle | null;
  close(handle: OpenSlideHandle): void;
  getError(handle: OpenSlideHandle): string | null;
  getLevelCount(handle: OpenSlideHandle): number;
  getLevelDimensions(handle: OpenSlideHandle, level: number): [number, number];
  getLevelDownsample(handle: OpenSlideHandle, level: number): number;
  getPropertyNames(handle: OpenSlideHandle): string[];
  getPropertyValue(handle: OpenSlideHandle, name: string): string | null;
  getAssociatedImageNames(handle: OpenSlideHandle): string[];
  getAssociatedImageDimensions(handle: OpenSlideHandle, name: string): [number, number];
  readAssociatedImage(handle: OpenSlideHandle, name: string, dest: Uint32Array): void;
  /** `openslide_read_region` on the calling thread, which waits for the pixels. */
  readRegion(
    args: { handle: OpenSlideHandle; dest: Uint32Array; level: number },
    rect: { baseX: number; baseY: number; widthPx: number; heightPx: number },
  ): void;
  /** `openslide_read_region` on a koffi worker thread, so the JS thread stays free. */
  readRegionAsync(
    args: { handle: OpenSlideHandle; dest: Uint32Array; level: number },
    rect: { baseX: number; baseY: number; widthPx: number; heightPx: number },
  ): Promise<void>;
}

let cached: OpenSlideLibrary | null | undefined;

/** Loads OpenSlide once per process; `null` when it is not installed. */
export function loadOpenSlideLibrary(): OpenSlideLibrary | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (const name of LIBRARY_NAMES) {
    try {
      cached = bind(koffi.load(name));
      log.info('slide.openslide.loaded', { library: name, version: cached.version });
      keepTileBuffersOnHeap();
      break;
    } catch (error) {
      // Documented fallback: try the next soname, then the pure-JS readers.
      log.debug('slide.openslide.unavailable', { library: name, reason: String(error) });
    }
  }
  return cached;
}

function readStringArray(pointer: unknown): string[] {
  if (pointer === null) return [];
  const names: string[] = [];
  for (let index = 0; ; index++) {
    const entry = koffi.decode(pointer, index * 8, 'const char *') as string | null;
    if (entry === null) return names;
    names.push(entry);
  }
}

/** The C signatures, in koffi's prototype syntax; `openslide_handle` is an opaque pointer. */
const SIGNATURES = {
  version: 'const char *openslide_get_version()',
  detectVendor: 'const char *openslide_detect_vendor(const char *filename)',
  open: 'openslide_handle openslide_open(const char *filename)',
  close: 'void openslide_close(openslide_handle osr)',
  getError: 'const char *openslide_get_error(openslide_handle osr)',
  levelCount: 'int32_t openslide_get_level_count(openslide_handle osr)',
  levelDims:
    'void openslide_get_level_dimensions(openslide_handle osr, int32_t level, _Out_ int64_t *w, _Out_ int64_t *h)',
  levelDownsample:
    'double openslide_get_level_downsample(openslide_handle osr, int32_t level)',
  propertyNames: 'void *openslide_get_property_names(openslide_handle osr)',
  propertyValue:
    'const char *openslide_get_property_value(openslide_handle osr, const char *name)',
  associatedNames: 'void *openslide_get_associated_image_names(openslide_handle osr)',
  associatedDims:
    'void openslide_get_associated_image_dimensions(openslide_handle osr, const char *name, _Out_ int64_t *w, _Out_ int64_t *h)',
  readAssociated:
    'void openslide_read_associated_image(openslide_handle osr, const char *name, _Out_ uint32_t *dest)',
  readRegion:
    'void openslide_read_region(openslide_handle osr, _Out_ uint32_t *dest, int64_t x, int64_t y, int32_t level, int64_t w, int64_t h)',
} as const;

type NativeFunctions = Record<keyof typeof SIGNATURES, KoffiFunction>;

function declareFunctions(lib: LibraryHandle): NativeFunctions {
  koffi.alias('openslide_handle', koffi.pointer('openslide_t', koffi.opaque()));
  const entries = Object.entries(SIGNATURES).map(([name, signature]) => [
    name,
    lib.func(signature),
  ]);
  return Object.fromEntries(entries) as NativeFunctions;
}

/** Calls a C function that writes a width and height through two `int64_t *`. */
function dims(call: (w: number[], h: number[]) => void): [number, number] {
  const w = [0];
  const h = [0];
  call(w, h);
  return [Number(w[0]), Number(h[0])];
}

/**
 * koffi runs async calls on a bounded pool and throws "Too many asynchronous
 * calls" past it (64 by default); a viewer can ask for more tiles at once, so
 * calls beyond this limit wait their turn here.
 */
const MAX_NATIVE_CALLS_IN_FLIGHT = 16;
let callsInFlight = 0;
const waiting: Array<() => void> = [];

/** Takes a call slot: `null` when one is free now, else a promise of the slot handed over. */
function takeCallSlot(): Promise<void> | null {
  if (callsInFlight < MAX_NATIVE_CALLS_IN_FLIGHT) {
    callsInFlight++;
    return null;
  }
  return new Promise<void>((resolve) => waiting.push(resolve));
}

/** Hands the slot to the longest-waiting call, or frees it. */
function releaseCallSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else callsInFlight--;
}

async function readRegionAsync(
  readRegion: KoffiFunction,
  args: Parameters<OpenSlideLibrary['readRegionAsync']>,
): Promise<void> {
  const [{ handle, dest, level }, rect] = args;
  const { baseX, baseY, widthPx, heightPx } = rect;
  const slot = takeCallSlot();
  if (slot) await slot;
  return new Promise<void>((resolve, reject) => {
    const done: AsyncCallback<unknown> = (error) => {
      releaseCallSlot();
      if (error) reject(error);
      else resolve();
    };
    try {
      readRegion.async(handle, dest, baseX, baseY, level, widthPx, heightPx, done);
    } catch (error) {
      // koffi refused the call before starting it, so `done` will never run.
      releaseCallSlot();
      reject(error);
    }
  });
}

function bind(lib: LibraryHandle): OpenSlideLibrary {
  const c = declareFunctions(lib);
  return {
    version: c.version() as string,
    detectVendor: (path) => c.detectVendor(path) as string | null,
    open: (path) => c.open(path) as OpenSlideHandle | null,
    close: (handle) => c.close(handle),
    getError: (handle) => c.getError(handle) as string | null,
    getLevelCount: (handle) => c.levelCount(handle) as number,
    getLevelDimensions: (handle, level) =>
      dims((w, h) => c.levelDims(handle, level, w, h)),
    getLevelDownsample: (handle, level) => c.levelDownsample(handle, level) as number,
    getPropertyNames: (handle) => readStringArray(c.propertyNames(handle)),
    getPropertyValue: (handle, name) => c.propertyValue(handle, name) as string | null,
    getAssociatedImageNames: (handle) => readStringArray(c.associatedNames(handle)),
    getAssociatedImageDimensions: (handle, name) =>
      dims((w, h) => c.associatedDims(handle, name, w, h)),
    readAssociatedImage: (handle, name, dest) => c.readAssociated(handle, name, dest),
    readRegion: ({ handle, dest, level }, { baseX, baseY, widthPx, heightPx }) =>
      c.readRegion(handle, dest, baseX, baseY, level, widthPx, heightPx),
    readRegionAsync: (...args) => readRegionAsync(c.readRegion, args),
  };
}
