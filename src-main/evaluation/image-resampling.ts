/**
 * Resampling between an image's own grid and the bundle's: area averaging to
 * simulate a coarser scan, and nearest-neighbour mapping of label images back to
 * the original grid so that scores are always computed on the original labels.
 */
import { resampleRgb } from '../analysis/tile-reading';
import type { RgbImage } from '../slides/slide-reader';

/** Per output pixel of one axis: the source pixels it covers and their weights. */
interface AxisWeights {
  starts: Int32Array;
  weights: Float64Array[];
}

/**
 * Averages `image` down to `widthPx` x `heightPx` (each at most the source size):
 * every output pixel is the mean of the source area it covers, fractional pixels
 * weighted by the fraction covered, as a detector with larger pixels would see it.
 */
export function areaDownsample(
  image: RgbImage,
  widthPx: number,
  heightPx: number,
): RgbImage {
  if (
    widthPx > image.widthPx ||
    heightPx > image.heightPx ||
    widthPx < 1 ||
    heightPx < 1
  ) {
    throw new RangeError(
      `Cannot area-downsample ${image.widthPx}x${image.heightPx} px to ` +
        `${widthPx}x${heightPx} px.`,
    );
  }
  const across = shrinkAxis(image.data, image, {
    isX: true,
    weights: axisWeights(image.widthPx, widthPx),
  });
  const down = shrinkAxis(across.values, across, {
    isX: false,
    weights: axisWeights(image.heightPx, heightPx),
  });
  const data = Uint8Array.from(down.values, (v) =>
    Math.min(255, Math.max(0, Math.round(v))),
  );
  return { data, widthPx, heightPx };
}

/** Averages interleaved RGB values along x or y with the given per-output weights. */
function shrinkAxis(
  values: ArrayLike<number>,
  size: { widthPx: number; heightPx: number },
  along: { isX: boolean; weights: AxisWeights },
): { values: Float64Array; widthPx: number; heightPx: number } {
  const { isX, weights } = along;
  const widthPx = isX ? weights.starts.length : size.widthPx;
  const heightPx = isX ? size.heightPx : weights.starts.length;
  const out = new Float64Array(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y += 1) {
    for (let x = 0; x < widthPx; x += 1) {
      const k = isX ? x : y;
      const start = weights.starts[k] as number;
      accumulate(out, (y * widthPx + x) * 3, {
        from: values,
        firstIndex: (isX ? y * size.widthPx + start : start * size.widthPx + x) * 3,
        strideValues: isX ? 3 : size.widthPx * 3,
        weights: weights.weights[k] as Float64Array,
      });
    }
  }
  return { values: out, widthPx, heightPx };
}

function accumulate(
  to: Float64Array,
  toIndex: number,
  source: {
    from: ArrayLike<number>;
    firstIndex: number;
    strideValues: number;
    weights: Float64Array;
  },
): void {
  const { from, firstIndex, strideValues, weights } = source;
  for (let c = 0; c < 3; c += 1) {
    let sum = 0;
    weights.forEach((w, k) => {
      sum += w * (from[firstIndex + k * strideValues + c] as number);
    });
    to[toIndex + c] = sum;
  }
}

function axisWeights(sourcePx: number, outputPx: number): AxisWeights {
  const scale = sourcePx / outputPx;
  const starts = new Int32Array(outputPx);
  const weights: Float64Array[] = [];
  for (let i = 0; i < outputPx; i += 1) {
    const from = i * scale;
    const to = Math.min(sourcePx, (i + 1) * scale);
    const first = Math.floor(from);
    const last = Math.min(sourcePx - 1, Math.ceil(to) - 1);
    starts[i] = first;
    const row = new Float64Array(last - first + 1);
    for (let j = first; j <= last; j += 1) {
      row[j - first] = (Math.min(to, j + 1) - Math.max(from, j)) / scale;
    }
    weights.push(row);
  }
  return { starts, weights };
}

/**
 * Maps a label image to another grid over the same field of view: each output pixel
 * takes the label under its centre (nearest neighbour, so no label is invented).
 */
export function resampleLabelsNearest(
  labels: ArrayLike<number>,
  from: { widthPx: number; heightPx: number },
  to: { widthPx: number; heightPx: number },
): Int32Array {
  const out = new Int32Array(to.widthPx * to.heightPx);
  const sourceX = Int32Array.from({ length: to.widthPx }, (_, x) =>
    Math.min(from.widthPx - 1, Math.floor(((x + 0.5) * from.widthPx) / to.widthPx)),
  );
  for (let y = 0; y < to.heightPx; y += 1) {
    const v = Math.min(
      from.heightPx - 1,
      Math.floor(((y + 0.5) * from.heightPx) / to.heightPx),
    );
    for (let x = 0; x < to.widthPx; x += 1) {
      out[y * to.widthPx + x] = labels[
        v * from.widthPx + (sourceX[x] as number)
      ] as number;
    }
  }
  return out;
}

/** How an image relates to the bundle's grid. */
export interface ModelResolution {
  /** Micrometres per pixel of the image as read. */
  imageMpp: number;
  /** The bundle's target mpp. */
  targetMpp: number;
  /** When given, the image is first degraded to this coarser mpp and back. */
  simulatedMpp: number | null;
}

/**
 * The image the model is given: optionally area-downsampled to `simulatedMpp` and
 * brought back up to its own grid (a coarser scan, resampled to the image's scale),
 * then resampled from `imageMpp` to the bundle's target mpp.
 */
export async function toModelGrid(
  image: RgbImage,
  resolution: ModelResolution,
): Promise<RgbImage> {
  const { imageMpp, targetMpp, simulatedMpp } = resolution;
  let current = image;
  if (simulatedMpp !== null) {
    const coarse = areaDownsample(
      image,
      Math.max(1, Math.round((image.widthPx * imageMpp) / simulatedMpp)),
      Math.max(1, Math.round((image.heightPx * imageMpp) / simulatedMpp)),
    );
    current = await resampleRgb(coarse, image.widthPx, image.heightPx);
  }
  if (imageMpp === targetMpp) return current;
  return resampleRgb(
    current,
    Math.max(1, Math.round((image.widthPx * imageMpp) / targetMpp)),
    Math.max(1, Math.round((image.heightPx * imageMpp) / targetMpp)),
  );
}
