/**
 * HoVer-Net's marker energy (Graham et al. 2019, `process_np_hv`): Sobel gradients
 * of the horizontal and vertical distance maps are strong between touching nuclei;
 * markers are the confident nucleus pixels away from those edges, and the flood
 * landscape is the blurred inverse edge strength inside the foreground. Unlike
 * HoVer-Net, maps and gradients are scaled by fixed ranges, not by the image's own
 * extremes, so a pixel's result depends only on its neighbourhood.
 */
import { MatScope, type CvMat, type OpenCv } from './opencv';

/**
 * HoVer-Net's Sobel aperture at 0.25 mpp: wide enough to see a whole nucleus's
 * distance ramp. Bundles at another scale name their own in the manifest.
 */
const DEFAULT_GRADIENT_KERNEL_PX = 21;
const DEFAULT_MARKER_OPENING_PX = 5;

/**
 * The slope range (per pixel, of the hv maps mapped from [-1, 1] to [0, 1]) that
 * edge strength is scaled to, for bundles at 0.25 mpp that name none. HoVer-Net
 * min-max normalises the Sobel response over the image it is given, so a pixel's edge
 * depends on the image's extremes: in a large stitched region the steepest ramp
 * anywhere compresses every other edge and markers (and nuclei) change with the
 * region's size. The fixed range is the median per-tile minimum and maximum of the
 * 21-tap Sobel slope on the default bundle's output, over 1,176 channel-tiles with
 * >= 2 % nucleus pixels (241 CMU-1 tiles and 347 MoNuSeg test tiles, 256 px at 0.25
 * mpp; interquartile ranges -0.057 to -0.046 and 0.054 to 0.075). On those tiles the
 * median ratio of nuclei found with the fixed range to nuclei found with per-tile
 * normalisation is 1.00 (MoNuSeg) and 1.08 (CMU-1). Slopes beyond the range clamp to
 * edge 0 or 1.
 */
const DEFAULT_SLOPE_RANGE_PER_PX = { min: -0.052, max: 0.063 };

/**
 * Thresholds and kernels in pixels at the bundle's target mpp. The optional ones
 * default to the values this post-processing was built with at 0.25 mpp.
 */
export interface MarkerParameters {
  npThreshold: number;
  minAreaPx: number;
  markerThreshold: number;
  markerMinAreaPx: number;
  /** Sobel aperture of the hv gradients: odd, 3 to 31. */
  gradientKernelPx?: number;
  /** The fixed range of hv slopes per pixel that edge strength spans. */
  slopeRangePerPx?: { min: number; max: number };
  /** Diameter of the elliptic opening that separates markers: odd. */
  markerOpeningPx?: number;
}

/** How a Sobel response becomes an edge strength. */
export interface SlopeScale {
  kernelPx: number;
  /** OpenCV's Sobel response to a unit ramp (value = x) for this aperture. */
  rampGain: number;
  minPerPx: number;
  spanPerPx: number;
}

/**
 * The Sobel scale of `params`. OpenCV's k-tap Sobel derivative responds to a unit
 * ramp with 2^(2k - 3): its smoothing taps sum to 2^(k - 1) and its derivative taps
 * answer a unit slope with 2^(k - 2) (8 for 3 taps, 2^39 for 21).
 */
export function slopeScaleOf(params: MarkerParameters): SlopeScale {
  const kernelPx = params.gradientKernelPx ?? DEFAULT_GRADIENT_KERNEL_PX;
  const range = params.slopeRangePerPx ?? DEFAULT_SLOPE_RANGE_PER_PX;
  return {
    kernelPx,
    rampGain: 2 ** (2 * kernelPx - 3),
    minPerPx: range.min,
    spanPerPx: range.max - range.min,
  };
}

/** Marker seeds, flood landscape and foreground mask of one tile. */
export interface MarkerEnergy {
  foreground: Uint8Array;
  markers: Int32Array;
  /** Within {@link LANDSCAPE_RANGE}. */
  landscape: Float32Array;
}

/**
 * Bounds of every flood landscape: the negated blur of values in [0, 1]. Flooding
 * over this fixed range rather than over a tile's own extremes keeps the flood
 * order of two pixels the same in any tile that holds them.
 */
export const LANDSCAPE_RANGE = { min: -1, max: 0 } as const;

/** Computes foreground, markers and landscape from the nucleus probability and hv maps. */
export function computeMarkerEnergy(
  cv: OpenCv,
  maps: {
    probability: Float32Array;
    hv: Float32Array;
    widthPx: number;
    heightPx: number;
  },
  params: MarkerParameters,
): MarkerEnergy {
  const { widthPx, heightPx } = maps;
  const planePx = widthPx * heightPx;
  const scope = new MatScope();
  try {
    const foreground = new Uint8Array(planePx);
    const { probability } = maps;
    for (let i = 0; i < planePx; i += 1)
      foreground[i] = (probability[i] as number) >= params.npThreshold ? 1 : 0;
    const kept = removeSmallComponents(cv, scope, {
      mask: foreground,
      widthPx,
      heightPx,
      minAreaPx: params.minAreaPx,
    });

    const scale = slopeScaleOf(params);
    const edge = edgeStrength(cv, scope, { hv: maps.hv, widthPx, heightPx, scale });
    const landscape = floodLandscape(cv, scope, {
      edge,
      foreground: kept.mask,
      widthPx,
      heightPx,
    });

    const markers = markerLabels(cv, scope, {
      mask: kept.mask,
      edge,
      widthPx,
      heightPx,
      params,
    });
    return { foreground: kept.mask, markers, landscape };
  } finally {
    scope.close();
  }
}

/** A binary mask (1 = set) and its size in pixels. */
export interface MaskInput {
  mask: Uint8Array;
  widthPx: number;
  heightPx: number;
}

/**
 * Marker labels 1..n: foreground pixels below the marker edge threshold, holes
 * filled, opened, and components under the marker minimum area dropped.
 */
function markerLabels(
  cv: OpenCv,
  scope: MatScope,
  input: MaskInput & { edge: Float32Array; params: MarkerParameters },
): Int32Array {
  const { mask, edge, widthPx, heightPx, params } = input;
  const seeds = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i += 1) {
    seeds[i] = mask[i] && (edge[i] as number) < params.markerThreshold ? 1 : 0;
  }
  fillHoles(cv, scope, { mask: seeds, widthPx, heightPx });
  const opened = openMask(cv, scope, {
    mask: seeds,
    widthPx,
    heightPx,
    diameterPx: params.markerOpeningPx ?? DEFAULT_MARKER_OPENING_PX,
  });
  return removeSmallComponents(cv, scope, {
    mask: opened,
    widthPx,
    heightPx,
    minAreaPx: params.markerMinAreaPx,
  }).labels;
}

function matFromMask(cv: OpenCv, scope: MatScope, input: MaskInput): CvMat {
  const mat = scope.track(new cv.Mat(input.heightPx, input.widthPx, cv.CV_8UC1));
  mat.data.set(input.mask);
  return mat;
}

/** Labels 4-connected components and drops those under `minAreaPx`; labels are 1..n. */
function removeSmallComponents(
  cv: OpenCv,
  scope: MatScope,
  input: MaskInput & { minAreaPx: number },
): { mask: Uint8Array; labels: Int32Array } {
  const labelsMat = scope.track(new cv.Mat());
  const count = cv.connectedComponents(
    matFromMask(cv, scope, input),
    labelsMat,
    4,
    cv.CV_32SC1,
  );
  const raw = labelsMat.data32S;
  const planePx = raw.length;

  const areas = new Int32Array(count);
  for (let i = 0; i < planePx; i += 1) {
    const label = raw[i] as number;
    areas[label] = (areas[label] as number) + 1;
  }
  const relabel = new Int32Array(count);
  let next = 0;
  for (let label = 1; label < count; label += 1) {
    if ((areas[label] as number) >= input.minAreaPx) relabel[label] = ++next;
  }

  const labels = new Int32Array(planePx);
  const mask = new Uint8Array(planePx);
  for (let i = 0; i < planePx; i += 1) {
    const label = relabel[raw[i] as number] as number;
    labels[i] = label;
    mask[i] = label > 0 ? 1 : 0;
  }
  return { mask, labels };
}

/**
 * Per pixel, the larger of the inverted, fixed-scale Sobel responses of the h map
 * along x and the v map along y: near 1 on the boundary between two nuclei, near 0
 * on the steep distance ramp inside one. Each pixel depends only on its 21 px
 * neighbourhood, so a region yields the same edges whether it is post-processed as
 * one tile or as many.
 */
function edgeStrength(
  cv: OpenCv,
  scope: MatScope,
  input: { hv: Float32Array; widthPx: number; heightPx: number; scale: SlopeScale },
): Float32Array {
  const { scale } = input;
  const planePx = input.widthPx * input.heightPx;
  const source = scope.track(new cv.Mat(input.heightPx, input.widthPx, cv.CV_32FC1));
  const sobel = (channel: 0 | 1): Float32Array => {
    writeUnitDistances(input.hv.subarray(channel * planePx), source.data32F);
    const gradient = scope.track(new cv.Mat());
    cv.Sobel(
      source,
      gradient,
      cv.CV_32FC1,
      channel === 0 ? 1 : 0,
      channel === 0 ? 0 : 1,
      scale.kernelPx,
    );
    return gradient.data32F;
  };

  const alongX = sobel(0);
  const alongY = sobel(1);
  const edge = new Float32Array(planePx);
  for (let i = 0; i < planePx; i += 1) {
    edge[i] = Math.max(
      invertedSlope(alongX[i] as number, scale),
      invertedSlope(alongY[i] as number, scale),
    );
  }
  return edge;
}

/**
 * Writes each distance value of `plane` (fixed range [-1, 1]) as [0, 1], clamped, into
 * `out`, which sets how many are read. A plain loop: V8 runs typed-array `from` and
 * `map` with a callback several times slower, which made them the costliest steps here.
 */
function writeUnitDistances(plane: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i += 1) {
    out[i] = Math.min(1, Math.max(0, ((plane[i] as number) + 1) / 2));
  }
}

/** A Sobel response as 1 - its position in the fixed slope range, clamped to [0, 1]. */
function invertedSlope(response: number, scale: SlopeScale): number {
  const slopePerPx = response / scale.rampGain;
  const position = (slopePerPx - scale.minPerPx) / scale.spanPerPx;
  return Math.min(1, Math.max(0, 1 - position));
}

/** -(blurred (1 - edge) inside the foreground): low in nucleus centres, high on edges. */
function floodLandscape(
  cv: OpenCv,
  scope: MatScope,
  input: {
    edge: Float32Array;
    foreground: Uint8Array;
    widthPx: number;
    heightPx: number;
  },
): Float32Array {
  const distance = scope.track(new cv.Mat(input.heightPx, input.widthPx, cv.CV_32FC1));
  const values = distance.data32F;
  for (let i = 0; i < values.length; i += 1) {
    values[i] = input.foreground[i] ? 1 - Math.max(0, input.edge[i] as number) : 0;
  }
  const blurred = scope.track(new cv.Mat());
  cv.GaussianBlur(distance, blurred, new cv.Size(3, 3), 0);
  const smooth = blurred.data32F;
  const landscape = new Float32Array(smooth.length);
  for (let i = 0; i < smooth.length; i += 1) landscape[i] = -(smooth[i] as number);
  return landscape;
}

function openMask(
  cv: OpenCv,
  scope: MatScope,
  input: MaskInput & { diameterPx: number },
): Uint8Array {
  const { diameterPx } = input;
  const kernel = scope.track(
    cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(diameterPx, diameterPx)),
  );
  const opened = scope.track(new cv.Mat());
  cv.morphologyEx(matFromMask(cv, scope, input), opened, cv.MORPH_OPEN, kernel);
  return opened.data.slice();
}

/**
 * Sets background pixels not 4-connected to the tile border to 1, as scipy's
 * binary_fill_holes does: OpenCV labels the background's 4-connected components, and
 * every component that reaches no border is a hole.
 */
export function fillHoles(cv: OpenCv, scope: MatScope, input: MaskInput): void {
  const { mask, widthPx, heightPx } = input;
  const background = scope.track(new cv.Mat(heightPx, widthPx, cv.CV_8UC1));
  const pixels = background.data;
  for (let i = 0; i < mask.length; i += 1) pixels[i] = mask[i] ? 0 : 1;
  const labelsMat = scope.track(new cv.Mat());
  const count = cv.connectedComponents(background, labelsMat, 4, cv.CV_32SC1);
  const labels = labelsMat.data32S;

  // Label 0 is the mask itself; it stays as it is.
  const reachesBorder = new Uint8Array(count);
  reachesBorder[0] = 1;
  const lastRow = (heightPx - 1) * widthPx;
  for (let x = 0; x < widthPx; x += 1) {
    reachesBorder[labels[x] as number] = 1;
    reachesBorder[labels[lastRow + x] as number] = 1;
  }
  for (let row = 0; row <= lastRow; row += widthPx) {
    reachesBorder[labels[row] as number] = 1;
    reachesBorder[labels[row + widthPx - 1] as number] = 1;
  }
  for (let i = 0; i < mask.length; i += 1) {
    if (!reachesBorder[labels[i] as number]) mask[i] = 1;
  }
}
