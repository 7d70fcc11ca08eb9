import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { premultipliedArgbToRgbInto } from '../../../../src-main/slides/openslide/argb';
import {
  compileArgbConverter,
  WasmArgbPool,
} from '../../../../src-main/slides/openslide/wasm-argb-pool';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const converter = compileArgbConverter();

const argb = (a: number, r: number, g: number, b: number) =>
  ((a << 24) | (r << 16) | (g << 8) | b) >>> 0;

/** RGB of `pixels` through the wasm converter. */
function viaWasm(pixels: Uint32Array): Uint8Array {
  const pool = new WasmArgbPool(converter!, 1, 1 << 20);
  const buffer = pool.take(pixels.length)!;
  buffer.pixels(pixels.length).set(pixels);
  const rgb = new Uint8Array(pixels.length * 3);
  buffer.copyRgbInto(rgb);
  return rgb;
}

/** RGB of `pixels` through the JavaScript converter of argb.ts. */
function viaJs(pixels: Uint32Array): Uint8Array {
  const rgb = new Uint8Array(pixels.length * 3);
  premultipliedArgbToRgbInto(pixels.slice(), rgb);
  return rgb;
}

/** Deterministic pseudo-random words, so a failure can be reproduced. */
function randomWords(count: number, seed: number): Uint32Array {
  let state = seed;
  return Uint32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  });
}

/** Every alpha with every channel value, premultiplied or not (premultiplied > alpha). */
function everyAlphaAndChannel(): Uint32Array {
  const pixels = new Uint32Array(256 * 256);
  for (let alpha = 0; alpha < 256; alpha++) {
    for (let value = 0; value < 256; value++) {
      pixels[alpha * 256 + value] = argb(alpha, value, 255 - value, value >> 1);
    }
  }
  return pixels;
}

describe.runIf(converter)('the wasm ARGB converter', () => {
  it('matches argb.ts for every alpha and channel value', () => {
    const pixels = everyAlphaAndChannel();
    expect(Buffer.compare(viaWasm(pixels), viaJs(pixels))).toBe(0);
  });

  it('matches argb.ts on random pixels, whatever the count past whole groups', () => {
    for (let count = 0; count <= 70; count++) {
      const pixels = randomWords(count, count + 1);
      expect(Buffer.compare(viaWasm(pixels), viaJs(pixels)), `${count} pixels`).toBe(0);
    }
  });

  it('matches argb.ts on groups mixing opaque, transparent and partial pixels', () => {
    const kinds = [0xff000000, 0, 0x80000000];
    const pixels = randomWords(4096, 7).map((word, i) => {
      const kind = kinds[Math.floor(i / 16 + (i % 16 === 5 ? 1 : 0)) % 3]!;
      return kind === 0x80000000 ? word : ((word & 0xffffff) | kind) >>> 0;
    });
    expect(Buffer.compare(viaWasm(pixels), viaJs(pixels))).toBe(0);
  });

  it('gives each buffer taken at once its own memory', () => {
    const pool = new WasmArgbPool(converter!, 4, 64);
    const first = pool.take(16)!;
    const second = pool.take(16)!;
    first.pixels(16).fill(argb(255, 1, 2, 3));
    second.pixels(16).fill(argb(255, 4, 5, 6));
    const rgb = new Uint8Array(48);
    first.copyRgbInto(rgb);
    expect([...rgb.subarray(0, 3)]).toEqual([1, 2, 3]);
  });

  it('reuses a buffer given back for a read that fits in it', () => {
    const pool = new WasmArgbPool(converter!, 4, 1024);
    const buffer = pool.take(256)!;
    pool.give(buffer);
    expect(pool.take(200)).toBe(buffer);
  });

  it('makes a new buffer when those kept are too small for the read', () => {
    const pool = new WasmArgbPool(converter!, 4, 1024);
    const small = pool.take(64)!;
    pool.give(small);
    const large = pool.take(512)!;
    expect(large).not.toBe(small);
    expect(large.capacityPx).toBe(512);
  });

  it('keeps the larger buffers when more are given back than it keeps', () => {
    const pool = new WasmArgbPool(converter!, 1, 1024);
    const small = pool.take(64)!;
    const large = pool.take(512)!;
    pool.give(small);
    pool.give(large);
    expect(pool.take(64)).toBe(large);
  });

  it('holds a read of exactly its capacity', () => {
    const buffer = new WasmArgbPool(converter!, 4, 1 << 20).take(1 << 20)!;
    expect(buffer.pixels(1 << 20).length).toBe(1 << 20);
  });

  it('declines reads larger than its buffers, leaving them to argb.ts', () => {
    expect(new WasmArgbPool(converter!, 4, 64).take(65)).toBeNull();
  });
});

/** clang's major version, or `null` when clang or wasm-ld is not installed. */
function clangMajorVersion(): number | null {
  try {
    execFileSync('wasm-ld', ['--version'], { stdio: 'ignore' });
    const version = execFileSync('clang', ['--version'], { encoding: 'utf8' });
    return Number(/clang version (\d+)/.exec(version)?.[1] ?? NaN);
  } catch {
    // Documented fallback: without a compiler the rebuild check is skipped.
    return null;
  }
}

const clangMajor = clangMajorVersion();
const canRebuild = clangMajor === 14;

describe('the committed argb.wasm', () => {
  it.runIf(canRebuild)('is what scripts/build-argb-wasm.sh builds from argb.c', () => {
    const output = path.join(mkdtempSync(path.join(tmpdir(), 'argb-wasm-')), 'argb.wasm');
    execFileSync(path.join(ROOT, 'scripts', 'build-argb-wasm.sh'), [output]);
    const committed = path.join(ROOT, 'src-main/slides/openslide/argb-wasm/argb.wasm');
    expect(readFileSync(output).equals(readFileSync(committed))).toBe(true);
  });

  it.skipIf(canRebuild)(
    `is not rebuilt here (skipped: needs clang 14 and wasm-ld, found clang ${clangMajor ?? 'none'})`,
    () => {},
  );
});
