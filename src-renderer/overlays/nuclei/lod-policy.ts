/**
 * Level of detail for the nuclei layer. Software WebGL (the default on many
 * hospital workstations without a GPU driver) pays per vertex, so what is drawn per
 * frame is bounded by the budget below, whatever the slide holds: zoomed out, a
 * density texture (one quad); mid zoom, one instanced point per nucleus; close up,
 * outlines or filled polygons, falling back to points past the vertex budget.
 */

/** What the nuclei layer draws. */
export type NucleiLod = 'density' | 'points' | 'outlines' | 'filled';

/** Per-frame limits. */
export interface LodBudget {
  /** Most nuclei drawn as points before switching to the density texture. */
  maxPoints: number;
  /** Most nuclei drawn as polygons before switching to points. */
  maxPolygons: number;
  /** Most contour vertices drawn per frame; chunks past it are drawn as points. */
  maxContourVertices: number;
}

/**
 * Budget measured in headless Chromium with SwiftShader (bench/viewer-bench.ts):
 * these keep a 1280x800 frame under 16 ms on two CPU cores.
 */
export const DEFAULT_LOD_BUDGET: LodBudget = {
  maxPoints: 60_000,
  maxPolygons: 6_000,
  maxContourVertices: 120_000,
};

/** Below this apparent diameter a nucleus is a dot, not a shape. */
const MIN_POLYGON_DIAMETER_SCREEN_PX = 6;
/** Below this apparent diameter single nuclei stop being readable at all. */
const MIN_POINT_DIAMETER_SCREEN_PX = 1.5;

/** Inputs of {@link chooseNucleiLod}. */
export interface LodInputs {
  screenPxPerBasePx: number;
  /** Expected nuclei inside the visible rectangle (from the density grid or the total). */
  estimatedVisibleNuclei: number;
  /** Typical nucleus diameter in level-0 pixels (about 8 µm over the slide's mpp). */
  nucleusDiameterBase: number;
  isFilled: boolean;
  budget?: LodBudget;
}

/** Chooses what to draw for the current zoom and nucleus count. */
export function chooseNucleiLod(inputs: LodInputs): NucleiLod {
  const budget = inputs.budget ?? DEFAULT_LOD_BUDGET;
  const diameterScreenPx = inputs.nucleusDiameterBase * inputs.screenPxPerBasePx;

  if (diameterScreenPx < MIN_POINT_DIAMETER_SCREEN_PX) return 'density';
  if (inputs.estimatedVisibleNuclei > budget.maxPoints) return 'density';

  if (diameterScreenPx < MIN_POLYGON_DIAMETER_SCREEN_PX) return 'points';
  if (inputs.estimatedVisibleNuclei > budget.maxPolygons) return 'points';

  return inputs.isFilled ? 'filled' : 'outlines';
}

/** Typical nucleus diameter in level-0 px: 8 µm, or 16 px when the slide is uncalibrated. */
export function nucleusDiameterBase(mppX: number | null): number {
  const TYPICAL_DIAMETER_MICRONS = 8;
  const UNCALIBRATED_DIAMETER_PX = 16;
  if (mppX === null || !(mppX > 0)) return UNCALIBRATED_DIAMETER_PX;
  return TYPICAL_DIAMETER_MICRONS / mppX;
}

/** How one loaded chunk is drawn this frame. */
export type ChunkDrawMode = 'polygons' | 'points' | 'skip';

/**
 * Spends the contour-vertex budget on chunks nearest the viewport centre first; the
 * rest are drawn as points, and past the point budget not at all.
 */
export function planChunkDraws(
  chunks: readonly {
    contourVertexCount: number;
    nucleusCount: number;
    distanceToCentre: number;
  }[],
  lod: NucleiLod,
  budget: LodBudget = DEFAULT_LOD_BUDGET,
): ChunkDrawMode[] {
  const order = chunks
    .map((chunk, index) => ({ chunk, index }))
    .sort((a, b) => a.chunk.distanceToCentre - b.chunk.distanceToCentre);
  const modes: ChunkDrawMode[] = chunks.map(() => 'skip');
  let verticesLeft =
    lod === 'outlines' || lod === 'filled' ? budget.maxContourVertices : 0;
  let pointsLeft = budget.maxPoints;

  for (const { chunk, index } of order) {
    if (chunk.contourVertexCount <= verticesLeft) {
      verticesLeft -= chunk.contourVertexCount;
      modes[index] = 'polygons';
    } else if (chunk.nucleusCount <= pointsLeft) {
      verticesLeft = 0;
      pointsLeft -= chunk.nucleusCount;
      modes[index] = 'points';
    }
  }
  return modes;
}
