/**
 * OpenSlide's pixel format: premultiplied ARGB in native-endian uint32. Turned
 * into straight RGB here; fully transparent pixels (outside the scanned area)
 * become white, the background OpenSlide itself reports for slides, and
 * partly transparent ones are un-premultiplied and composited over white.
 */

/** True where a `Uint32Array` view stores its lowest byte first (x64, arm64). */
const IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Un-premultiplies one channel and composites it over white. */
function overWhite(premultiplied: number, alpha: number): number {
  const straight = Math.min(255, Math.round((premultiplied * 255) / alpha));
  return Math.round((straight * alpha + 255 * (255 - alpha)) / 255);
}

/** Writes the RGB of one premultiplied ARGB pixel at byte `offset` of `rgb`. */
function writePixel(rgb: Uint8Array, offset: number, argb: number): void {
  const alpha = argb >>> 24;
  const r = (argb >>> 16) & 0xff;
  const g = (argb >>> 8) & 0xff;
  const b = argb & 0xff;
  if (alpha === 255) {
    rgb[offset] = r;
    rgb[offset + 1] = g;
    rgb[offset + 2] = b;
  } else if (alpha === 0) {
    rgb[offset] = rgb[offset + 1] = rgb[offset + 2] = 255;
  } else {
    rgb[offset] = overWhite(r, alpha);
    rgb[offset + 1] = overWhite(g, alpha);
    rgb[offset + 2] = overWhite(b, alpha);
  }
}

/** Converts the pixels from index `fromPx` on one at a time, writing from byte `fromPx * 3`. */
function convertEach(pixels: Uint32Array, rgb: Uint8Array, fromPx: number): void {
  for (let i = fromPx, o = fromPx * 3; i < pixels.length; i++, o += 3) {
    writePixel(rgb, o, pixels[i]!);
  }
}

/**
 * Converts four pixels at a time into three little-endian words of RGB: the
 * common case of four opaque pixels becomes a few shifts and three stores.
 * Groups holding any transparency take the per-pixel path. Returns how many
 * leading pixels it converted (a multiple of four).
 */
function convertOpaqueGroups(pixels: Uint32Array, rgb: Uint8Array): number {
  const groupedPx = pixels.length & ~3;
  const words = new Uint32Array(rgb.buffer, rgb.byteOffset, (groupedPx * 3) >>> 2);
  for (let i = 0, o = 0; i < groupedPx; i += 4, o += 3) {
    const p0 = pixels[i]!;
    const p1 = pixels[i + 1]!;
    const p2 = pixels[i + 2]!;
    const p3 = pixels[i + 3]!;
    if ((p0 & p1 & p2 & p3) >>> 24 !== 255) {
      for (let k = 0; k < 4; k++) writePixel(rgb, (i + k) * 3, pixels[i + k]!);
      continue;
    }
    // Bytes r0 g0 b0 r1 | g1 b1 r2 g2 | b2 r3 g3 b3, each word read lowest byte first.
    words[o] =
      ((p0 >>> 16) & 0xff) |
      (p0 & 0xff00) |
      ((p0 & 0xff) << 16) |
      ((p1 << 8) & 0xff000000);
    words[o + 1] =
      ((p1 >>> 8) & 0xff) | ((p1 & 0xff) << 8) | (p2 & 0xff0000) | ((p2 & 0xff00) << 16);
    words[o + 2] =
      (p2 & 0xff) | ((p3 >>> 8) & 0xff00) | ((p3 << 8) & 0xff0000) | (p3 << 24);
  }
  return groupedPx;
}

/**
 * Converts premultiplied ARGB `pixels` into `rgb`, which must hold exactly
 * `pixels.length * 3` bytes (it may be a view into a larger image).
 */
export function premultipliedArgbToRgbInto(pixels: Uint32Array, rgb: Uint8Array): void {
  if (rgb.length !== pixels.length * 3) {
    throw new RangeError(
      `RGB target holds ${rgb.length} bytes, not ${pixels.length * 3}`,
    );
  }
  const canGroup = IS_LITTLE_ENDIAN && rgb.byteOffset % 4 === 0;
  const groupedPx = canGroup ? convertOpaqueGroups(pixels, rgb) : 0;
  convertEach(pixels, rgb, groupedPx);
}

/** Converts premultiplied ARGB to RGB, returning `pixels.length * 3` new bytes. */
export function premultipliedArgbToRgb(pixels: Uint32Array): Uint8Array {
  const rgb = new Uint8Array(pixels.length * 3);
  premultipliedArgbToRgbInto(pixels, rgb);
  return rgb;
}
