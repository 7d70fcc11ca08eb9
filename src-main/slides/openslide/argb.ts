/**
 * OpenSlide's pixel format: premultiplied ARGB in native-endian uint32. Turned
 * into straight RGB here; fully transparent pixels (outside the scanned area)
 * become white, the background OpenSlide itself reports for slides.
 */

/** Un-premultiplies one channel and composites it over white. */
function overWhite(premultiplied: number, alpha: number): number {
  const straight = Math.min(255, Math.round((premultiplied * 255) / alpha));
  return Math.round((straight * alpha + 255 * (255 - alpha)) / 255);
}

/** Converts premultiplied ARGB to RGB, writing `pixels.length * 3` bytes. */
export function premultipliedArgbToRgb(pixels: Uint32Array): Uint8Array {
  const rgb = new Uint8Array(pixels.length * 3);
  for (let i = 0, o = 0; i < pixels.length; i++, o += 3) {
    const argb = pixels[i]!;
    const alpha = argb >>> 24;
    const r = (argb >>> 16) & 0xff;
    const g = (argb >>> 8) & 0xff;
    const b = argb & 0xff;
    if (alpha === 255) {
      rgb[o] = r;
      rgb[o + 1] = g;
      rgb[o + 2] = b;
    } else if (alpha === 0) {
      rgb[o] = rgb[o + 1] = rgb[o + 2] = 255;
    } else {
      rgb[o] = overWhite(r, alpha);
      rgb[o + 1] = overWhite(g, alpha);
      rgb[o + 2] = overWhite(b, alpha);
    }
  }
  return rgb;
}
