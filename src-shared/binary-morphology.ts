/**
 * Morphology on binary masks (one byte per pixel, non-zero = set), with square
 * structuring elements. Pure: no I/O.
 */

/** A binary mask and its size in pixels. */
export interface BinaryMask {
  widthPx: number;
  heightPx: number;
  data: Uint8Array;
}

/** Running max (dilate) or min (erode) over a window of `2 * radiusPx + 1` along one axis. */
function slide(
  mask: BinaryMask,
  options: { radiusPx: number; isDilate: boolean; isHorizontal: boolean },
): BinaryMask {
  const { widthPx, heightPx, data } = mask;
  const { radiusPx, isDilate, isHorizontal } = options;
  const out = new Uint8Array(data.length);
  const lines = isHorizontal ? heightPx : widthPx;
  const length = isHorizontal ? widthPx : heightPx;
  const index = (line: number, at: number) =>
    isHorizontal ? line * widthPx + at : at * widthPx + line;

  for (let line = 0; line < lines; line++) {
    let count = 0;
    const set = (at: number) => (at >= 0 && at < length && data[index(line, at)] ? 1 : 0);
    for (let at = -radiusPx; at < radiusPx; at++) count += set(at);
    for (let at = 0; at < length; at++) {
      count += set(at + radiusPx);
      // Pixels past the edge count as unset for dilation and as set for erosion.
      const windowSize =
        Math.min(length - 1, at + radiusPx) - Math.max(0, at - radiusPx) + 1;
      out[index(line, at)] = isDilate
        ? count > 0
          ? 1
          : 0
        : count === windowSize
          ? 1
          : 0;
      count -= set(at - radiusPx);
    }
  }
  return { widthPx, heightPx, data: out };
}

/** Dilation by a (2r+1)-square. */
export function dilate(mask: BinaryMask, radiusPx: number): BinaryMask {
  const once = slide(mask, { radiusPx, isDilate: true, isHorizontal: true });
  return slide(once, { radiusPx, isDilate: true, isHorizontal: false });
}

/** Erosion by a (2r+1)-square. */
export function erode(mask: BinaryMask, radiusPx: number): BinaryMask {
  const once = slide(mask, { radiusPx, isDilate: false, isHorizontal: true });
  return slide(once, { radiusPx, isDilate: false, isHorizontal: false });
}

/** Opening: removes specks smaller than the square. */
export function open(mask: BinaryMask, radiusPx: number): BinaryMask {
  return dilate(erode(mask, radiusPx), radiusPx);
}

/** Closing: fills gaps narrower than the square. */
export function close(mask: BinaryMask, radiusPx: number): BinaryMask {
  return erode(dilate(mask, radiusPx), radiusPx);
}

/** Clears 8-connected components with fewer than `minAreaPx` pixels. */
export function removeSmallComponents(mask: BinaryMask, minAreaPx: number): BinaryMask {
  const { widthPx, heightPx } = mask;
  const data = mask.data.slice();
  const seen = new Uint8Array(data.length);
  const stack: number[] = [];
  for (let start = 0; start < data.length; start++) {
    if (!data[start] || seen[start]) continue;
    const component: number[] = [];
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const at = stack.pop()!;
      component.push(at);
      const x = at % widthPx;
      const y = (at - x) / widthPx;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= widthPx || ny >= heightPx) continue;
          const next = ny * widthPx + nx;
          if (data[next] && !seen[next]) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
    }
    if (component.length < minAreaPx) for (const at of component) data[at] = 0;
  }
  return { widthPx, heightPx, data };
}
