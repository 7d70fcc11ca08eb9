/*
 * Premultiplied ARGB (OpenSlide's native-endian uint32 pixels) to packed RGB, in
 * place, for WebAssembly with SIMD. It gives byte for byte the result of
 * premultipliedArgbToRgbInto in ../argb.ts: opaque pixels keep their colour,
 * fully transparent ones become white, partly transparent ones are
 * un-premultiplied and composited over white with the same rounding.
 *
 * Rebuild with scripts/build-argb-wasm.sh; a test checks the committed .wasm
 * matches this source.
 */
#include <stdint.h>
#include <wasm_simd128.h>

/* Pixels per SIMD group: four 16-byte vectors in, three out. */
#define GROUP_PX 16

/*
 * round(numerator / denominator) rounding halves up, as JavaScript's Math.round
 * does for the positive quotients here, in integers.
 */
static uint32_t divide_rounding_up(uint32_t numerator, uint32_t denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

/* Un-premultiplies one channel (alpha 1-254) and composites it over white. */
static uint8_t over_white(uint32_t premultiplied, uint32_t alpha) {
  uint32_t straight = divide_rounding_up(premultiplied * 255, alpha);
  if (straight > 255) straight = 255;
  return (uint8_t)divide_rounding_up(straight * alpha + 255 * (255 - alpha), 255);
}

/*
 * Converts the pixel at `argb` (bytes B, G, R, A on a little-endian machine)
 * into three bytes at `rgb`, which may overlap it from below: all four bytes
 * are read before any is written.
 */
static void convert_pixel(uint8_t *rgb, const uint8_t *argb) {
  uint32_t b = argb[0], g = argb[1], r = argb[2], alpha = argb[3];
  if (alpha == 0) {
    r = g = b = 255;
  } else if (alpha != 255) {
    r = over_white(r, alpha);
    g = over_white(g, alpha);
    b = over_white(b, alpha);
  }
  rgb[0] = (uint8_t)r;
  rgb[1] = (uint8_t)g;
  rgb[2] = (uint8_t)b;
}

/* Writes the RGB of 16 opaque pixels, held in p0-p3, as 48 bytes at `rgb`. */
static void store_opaque(uint8_t *rgb, v128_t p0, v128_t p1, v128_t p2, v128_t p3) {
  /* Output byte j takes input byte 4 * (j / 3) + 2 - j % 3 of the 64 read. */
  v128_t out0 = wasm_i8x16_shuffle(p0, p1, 2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 18,
                                   17, 16, 22);
  v128_t out1 = wasm_i8x16_shuffle(p1, p2, 5, 4, 10, 9, 8, 14, 13, 12, 18, 17, 16, 22,
                                   21, 20, 26, 25);
  v128_t out2 = wasm_i8x16_shuffle(p2, p3, 8, 14, 13, 12, 18, 17, 16, 22, 21, 20, 26,
                                   25, 24, 30, 29, 28);
  wasm_v128_store(rgb, out0);
  wasm_v128_store(rgb + 16, out1);
  wasm_v128_store(rgb + 32, out2);
}

/*
 * Converts one group of 16 pixels. The group's 64 input bytes are all loaded
 * before its 48 output bytes are stored, and the output ends where the input
 * ends or earlier, so no byte is overwritten before it is read.
 */
static void convert_group(uint8_t *rgb, const uint8_t *argb) {
  v128_t p0 = wasm_v128_load(argb);
  v128_t p1 = wasm_v128_load(argb + 16);
  v128_t p2 = wasm_v128_load(argb + 32);
  v128_t p3 = wasm_v128_load(argb + 48);
  const v128_t alpha = wasm_u32x4_splat(0xff000000u);
  v128_t all_bits = wasm_v128_and(wasm_v128_and(p0, p1), wasm_v128_and(p2, p3));
  v128_t any_bits = wasm_v128_or(wasm_v128_or(p0, p1), wasm_v128_or(p2, p3));

  if (wasm_i32x4_all_true(wasm_i32x4_eq(wasm_v128_and(all_bits, alpha), alpha))) {
    store_opaque(rgb, p0, p1, p2, p3);
  } else if (!wasm_v128_any_true(wasm_v128_and(any_bits, alpha))) {
    const v128_t white = wasm_u8x16_splat(255);
    wasm_v128_store(rgb, white);
    wasm_v128_store(rgb + 16, white);
    wasm_v128_store(rgb + 32, white);
  } else {
    for (int i = 0; i < GROUP_PX; i++) convert_pixel(rgb + 3 * i, argb + 4 * i);
  }
}

/*
 * Converts `pixel_count` premultiplied ARGB pixels starting at `pixels` into
 * `3 * pixel_count` bytes of RGB written from the same address, front to back.
 */
__attribute__((export_name("argb_to_rgb_in_place")))
void argb_to_rgb_in_place(uint8_t *pixels, uint32_t pixel_count) {
  uint32_t grouped_px = pixel_count - pixel_count % GROUP_PX;
  uint32_t i = 0;
  for (; i < grouped_px; i += GROUP_PX) convert_group(pixels + 3 * i, pixels + 4 * i);
  for (; i < pixel_count; i++) convert_pixel(pixels + 3 * i, pixels + 4 * i);
}
