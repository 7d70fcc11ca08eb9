/**
 * Destination buffers in WebAssembly memory, each paired with a SIMD converter
 * from premultiplied ARGB to RGB (argb-wasm/argb.c). OpenSlide writes a read
 * straight into one (koffi passes a pointer into the wasm memory, no copy), the
 * converter packs it to RGB in place, and only the RGB bytes are copied out.
 * For 256x256 reads this converts several times faster than the JavaScript
 * loop of argb.ts, whose result it matches byte for byte; argb.ts stays the
 * fallback where WebAssembly SIMD is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../logging/logger';
import { BoundedFreeList } from './bounded-free-list';

const log = createLogger('slides.openslide');

/** Wasm pages are 64 KiB. */
const WASM_PAGE_BYTES = 65_536;

/**
 * The compiled file, beside this module under tsx and vitest, one folder up from
 * the bundles in dist/main (scripts/build.mjs copies it to dist/main/argb-wasm/).
 */
const WASM_CANDIDATES = ['./argb-wasm/argb.wasm', '../argb-wasm/argb.wasm'];

/**
 * Where pixels start in each wasm memory: past the converter's own 64 KiB stack
 * (which it does not use) and the few bytes wasm-ld places after it, which end
 * at its `__heap_base` export.
 */
const PIXELS_ADDRESS = 2 * WASM_PAGE_BYTES;

/** True where a `Uint32Array` view stores its lowest byte first, as wasm memory does. */
const IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

interface ConverterExports {
  argb_to_rgb_in_place(pixelsAddress: number, pixelCount: number): void;
  __heap_base: { value: number };
}

/** A compiled converter module, instantiated once per buffer. */
export type ArgbConverterModule = object & { readonly brand?: 'argb-converter' };

/**
 * The few WebAssembly entry points used here; the main process compiles
 * without the DOM typings that declare them.
 */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => ArgbConverterModule;
  Memory: new (size: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Instance: new (module: ArgbConverterModule, imports: object) => { exports: object };
  validate(bytes: Uint8Array): boolean;
}

const wasm = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** One read's destination: ARGB pixels in its own wasm memory, and their converter. */
export class WasmArgbBuffer {
  private readonly memory: { buffer: ArrayBuffer };
  private readonly exports: ConverterExports;
  /** Most pixels one read may put in this buffer. */
  readonly capacityPx: number;

  constructor(module: ArgbConverterModule, capacityPx: number) {
    const pages = Math.ceil((PIXELS_ADDRESS + capacityPx * 4) / WASM_PAGE_BYTES);
    this.memory = new wasm!.Memory({ initial: pages, maximum: pages });
    const instance = new wasm!.Instance(module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as ConverterExports;
    if (this.exports.__heap_base.value > PIXELS_ADDRESS) {
      throw new RangeError(
        `the converter needs more than ${PIXELS_ADDRESS} bytes of its own`,
      );
    }
    this.capacityPx = capacityPx;
  }

  /** A view of `pixelCount` pixels for `openslide_read_region` to fill. */
  pixels(pixelCount: number): Uint32Array {
    if (pixelCount > this.capacityPx) {
      throw new RangeError(
        `${pixelCount} pixels exceed this buffer's ${this.capacityPx}`,
      );
    }
    return new Uint32Array(this.memory.buffer, PIXELS_ADDRESS, pixelCount);
  }

  /**
   * Converts the first `rgb.length / 3` pixels to RGB and copies them into
   * `rgb`; the pixels are overwritten, so this runs once per read.
   */
  copyRgbInto(rgb: Uint8Array): void {
    const pixelCount = rgb.length / 3;
    if (!Number.isInteger(pixelCount) || pixelCount > this.capacityPx) {
      throw new RangeError(`RGB target of ${rgb.length} bytes does not fit this buffer`);
    }
    this.exports.argb_to_rgb_in_place(PIXELS_ADDRESS, pixelCount);
    rgb.set(new Uint8Array(this.memory.buffer, PIXELS_ADDRESS, rgb.length));
  }
}

/** Reads and compiles the converter; `null` where it is missing or wasm SIMD is not. */
export function compileArgbConverter(): ArgbConverterModule | null {
  if (!wasm || !IS_LITTLE_ENDIAN) return null;
  const file = WASM_CANDIDATES.map((candidate) =>
    fileURLToPath(new URL(candidate, import.meta.url)),
  ).find((candidate) => existsSync(candidate));
  if (!file) {
    log.debug('slide.argb_wasm.missing', { remedy: 'run scripts/build-argb-wasm.sh' });
    return null;
  }
  const bytes = readFileSync(file);
  if (!wasm.validate(bytes)) {
    log.debug('slide.argb_wasm.unsupported', { reason: 'no WebAssembly SIMD' });
    return null;
  }
  return new wasm.Module(bytes);
}

/**
 * A bounded free list of {@link WasmArgbBuffer}s. Each buffer serves one read at
 * a time, since reads run concurrently on koffi's workers; when none large
 * enough is free, a new one is made just large enough for the read, and at most
 * `maxBuffers` are kept afterwards, larger ones in preference, as
 * pixel-buffer-pool.ts does for plain buffers.
 */
export class WasmArgbPool {
  private readonly free: BoundedFreeList<WasmArgbBuffer>;

  /**
   * @param module - the compiled converter, from {@link compileArgbConverter}
   * @param maxBuffers - most buffers kept between reads
   * @param capacityPx - largest read served; larger reads get `null` from take
   */
  constructor(
    private readonly module: ArgbConverterModule,
    maxBuffers: number,
    readonly capacityPx: number,
  ) {
    this.free = new BoundedFreeList(maxBuffers, (buffer) => buffer.capacityPx);
  }

  /** A buffer for a read of `pixelCount` pixels, or `null` when it is too large. */
  take(pixelCount: number): WasmArgbBuffer | null {
    if (pixelCount > this.capacityPx) return null;
    return (
      this.free.takeAtLeast(pixelCount) ?? new WasmArgbBuffer(this.module, pixelCount)
    );
  }

  /** Returns a buffer from {@link take} once its read and conversion are done. */
  give(buffer: WasmArgbBuffer): void {
    this.free.keep(buffer);
  }
}
