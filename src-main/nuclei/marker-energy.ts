/**
 * HoVer-Net's marker energy (Graham et al. 2019, `process_np_hv`): Sobel gradients
 * of the horizontal and vertical distance maps are strong between touching nuclei;
 * markers are the confident nucleus pixels away from those edges, and the flood
 * landscape is the blurred inverse edge strength inside the foreground. Unlike
 * HoVer-Net, maps and gradients are scaled by fixed ranges, not by the image's own
 * extremes, so a pixel's result depends only on its neighbourhood.
 */
import { MatScope, type CvMat, type OpenCv } from './opencv';

/** HoVer-Net's Sobel aperture: wide enough to see a whole nucleus's distance ramp. */
const SOBEL_KERNEL_PX = 21;
const OPENING_KERNEL_PX = 5;

/** OpenCV's 21-tap Sobel response to a unit ramp (value = x): 2^39. */
const SOBEL_RAMP_GAIN = 2 ** 39;

/**
 * The slope range (per pixel, of the hv maps mapped from [-1, 1] to [0, 1]) that
 * edge strength is scaled to. HoVer-Net min-max normalises the Sobel response over
 * the image it is given, so a pixel's edge depends on the image's extremes: in a
 * large stitched region the steepest ramp anywhere compresses every other edge and
 * markers (and nuclei) change with the region's size. The fixed range is the median
 * per-tile minimum and maximum of the 21-tap Sobel slope on the default bundle's
 * output, over 1,176 channel-tiles with >= 2 % nucleus pixels (241 CMU-1 tiles and
 * 347 MoNuSeg test tiles, 256 px at 0.25 mpp; interquartile ranges -0.057 to -0.046
 * and 0.054 to 0.075). On those tiles the median ratio of nuclei found with the fixed
 * range to nuclei found with per-tile normalisation is 1.00 (MoNuSeg) and 1.08
 * (CMU-1). Slopes beyond the range clamp to edge 0 or 1.
 */
const SLOPE_RANGE = { minPerPx: -0.052, spanPerPx: 0.063 + 0.052 };

/** Thresholds in pixels at the bundle's target mpp. */
export interface MarkerParameters {
  npThreshold: number;
  minAreaPx: number;
  markerThreshold: number;
  markerMinAreaPx: number;
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
    for (let i = 0; i < planePx; i += 1)
      foreground[i] = (maps.probability[i] as number) >= params.npThreshold ? 1 : 0;
    const kept = removeSmallComponents(cv, scope, {
      mask: foreground,
      widthPx,
      heightPx,
      minAreaPx: params.minAreaPx,
    });

    const edge = edgeStrength(cv, scope, { hv: maps.hv, widthPx, heightPx });
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

interface MaskInput {
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
  fillHoles(seeds, widthPx, heightPx);
  const opened = openMask(cv, scope, { mask: seeds, widthPx, heightPx });
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

  const areas = new Int32Array(count);
  for (const label of raw) areas[label] = (areas[label] as number) + 1;
  const relabel = new Int32Array(count);
  let next = 0;
  for (let label = 1; label < count; label += 1) {
    if ((areas[label] as number) >= input.minAreaPx) relabel[label] = ++next;
  }

  const labels = new Int32Array(raw.length);
  const mask = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) {
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
  input: { hv: Float32Array; widthPx: number; heightPx: number },
): Float32Array {
  const planePx = input.widthPx * input.heightPx;
  const sobel = (channel: 0 | 1): Float32Array => {
    const source = scope.track(new cv.Mat(input.heightPx, input.widthPx, cv.CV_32FC1));
    const plane = input.hv.subarray(channel * planePx, (channel + 1) * planePx);
    mapInto(plane, source.data32F, unitDistance);
    const gradient = scope.track(new cv.Mat());
    cv.Sobel(
      source,
      gradient,
      cv.CV_32FC1,
      channel === 0 ? 1 : 0,
      channel === 0 ? 0 : 1,
      SOBEL_KERNEL_PX,
    );
    return mapInto(gradient.data32F, new Float32Array(planePx), invertedSlope);
  };

  const horizontal = sobel(0);
  const vertical = sobel(1);
  for (let i = 0; i < planePx; i += 1) {
    horizontal[i] = Math.max(horizontal[i] as number, vertical[i] as number);
  }
  return horizontal;
}

/**
 * Writes `map(values[i])` into `out[i]`. A plain loop: V8 runs `Float32Array.from` with
 * a mapping function several times slower, which made it the costliest step here.
 */
function mapInto(
  values: Float32Array,
  out: Float32Array,
  map: (value: number) => number,
): Float32Array {
  for (let i = 0; i < values.length; i += 1) out[i] = map(values[i] as number);
  return out;
}

/** A distance value from the hv maps' fixed range [-1, 1] to [0, 1], clamped. */
function unitDistance(value: number): number {
  return Math.min(1, Math.max(0, (value + 1) / 2));
}

/** A Sobel response as 1 - its position in the fixed slope range, clamped to [0, 1]. */
function invertedSlope(response: number): number {
  const slopePerPx = response / SOBEL_RAMP_GAIN;
  const position = (slopePerPx - SLOPE_RANGE.minPerPx) / SLOPE_RANGE.spanPerPx;
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
  return blurred.data32F.map((v) => -v);
}

function openMask(cv: OpenCv, scope: MatScope, input: MaskInput): Uint8Array {
  const kernel = scope.track(
    cv.getStructuringElement(
      cv.MORPH_ELLIPSE,
      new cv.Size(OPENING_KERNEL_PX, OPENING_KERNEL_PX),
    ),
  );
  const opened = scope.track(new cv.Mat());
  cv.morphologyEx(matFromMask(cv, scope, input), opened, cv.MORPH_OPEN, kernel);
  return Uint8Array.from(opened.data);
}

/** Sets background pixels not 4-connected to the tile border to 1 (scipy's binary_fill_holes). */
export function fillHoles(mask: Uint8Array, widthPx: number, heightPx: number): void {
  const outside = new Uint8Array(mask.length);
  const stack: number[] = [];
  const seed = (pixel: number) => {
    if (mask[pixel] || outside[pixel]) return;
    outside[pixel] = 1;
    stack.push(pixel);
  };
  for (let x = 0; x < widthPx; x += 1) {
    seed(x);
    seed((heightPx - 1) * widthPx + x);
  }
  for (let y = 0; y < heightPx; y += 1) {
    seed(y * widthPx);
    seed(y * widthPx + widthPx - 1);
  }

  while (stack.length > 0) {
    const pixel = stack.pop() as number;
    const x = pixel % widthPx;
    if (x > 0) seed(pixel - 1);
    if (x < widthPx - 1) seed(pixel + 1);
    if (pixel >= widthPx) seed(pixel - widthPx);
    if (pixel < (heightPx - 1) * widthPx) seed(pixel + widthPx);
  }
  for (let i = 0; i < mask.length; i += 1) if (!outside[i]) mask[i] = 1;
}
