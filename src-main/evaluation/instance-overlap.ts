/**
 * Pixel overlap between a ground-truth and a predicted instance map: areas,
 * centroids and the intersection of every overlapping pair, in one pass.
 */

/** An instance map: 0 is background, any other value one instance. */
export interface InstanceMap {
  widthPx: number;
  heightPx: number;
  labels: Uint32Array | Int32Array | Uint16Array;
}

/** Area and centroid (pixel centres, x + 0.5) per instance id. */
export interface InstanceStats {
  ids: number[];
  areaPx: Map<number, number>;
  centroid: Map<number, { x: number; y: number }>;
}

/** Intersections of overlapping (true id, predicted id) pairs. */
export interface Overlap {
  truth: InstanceStats;
  predicted: InstanceStats;
  /** truth id -> (predicted id -> intersecting pixels). */
  intersections: Map<number, Map<number, number>>;
}

/** Areas and centroids of the instances of one map, ids in increasing order. */
export function instanceStats(map: InstanceMap): InstanceStats {
  const areaPx = new Map<number, number>();
  const sums = new Map<number, { x: number; y: number }>();
  const { labels, widthPx } = map;
  for (let i = 0; i < labels.length; i += 1) {
    const id = labels[i] as number;
    if (id === 0) continue;
    const x = i % widthPx;
    areaPx.set(id, (areaPx.get(id) ?? 0) + 1);
    const sum = sums.get(id) ?? { x: 0, y: 0 };
    sum.x += x + 0.5;
    sum.y += (i - x) / widthPx + 0.5;
    sums.set(id, sum);
  }

  const ids = [...areaPx.keys()].sort((a, b) => a - b);
  const centroid = new Map<number, { x: number; y: number }>();
  for (const id of ids) {
    const area = areaPx.get(id) as number;
    const sum = sums.get(id) as { x: number; y: number };
    centroid.set(id, { x: sum.x / area, y: sum.y / area });
  }
  return { ids, areaPx, centroid };
}

/** Computes the overlap of `truth` and `predicted`, which must have the same size. */
export function computeOverlap(truth: InstanceMap, predicted: InstanceMap): Overlap {
  if (truth.widthPx !== predicted.widthPx || truth.heightPx !== predicted.heightPx) {
    throw new RangeError(
      `Label maps differ in size: ${truth.widthPx}x${truth.heightPx} vs ` +
        `${predicted.widthPx}x${predicted.heightPx}.`,
    );
  }
  const intersections = new Map<number, Map<number, number>>();
  for (let i = 0; i < truth.labels.length; i += 1) {
    const t = truth.labels[i] as number;
    const p = predicted.labels[i] as number;
    if (t === 0 || p === 0) continue;
    let row = intersections.get(t);
    if (!row) intersections.set(t, (row = new Map()));
    row.set(p, (row.get(p) ?? 0) + 1);
  }
  return {
    truth: instanceStats(truth),
    predicted: instanceStats(predicted),
    intersections,
  };
}
