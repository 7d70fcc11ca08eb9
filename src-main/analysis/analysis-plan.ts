/**
 * Plans an analysis before any pixel goes through the model: the calibration to use
 * (refusing a slide without one unless the user gives it), the tile grid at the
 * bundle's resolution, and the parameters that identify the run in the store.
 */
import { createHash } from 'node:crypto';
import type { BundleManifest } from '../../src-shared/bundle-manifest';
import { intersectRects, type Rect } from '../../src-shared/geometry';
import type { Mpp, SlideInfo } from '../../src-shared/slide-types';
import {
  buildTileGrid,
  type GridTissueMask,
  type TileGrid,
} from '../../src-shared/tile-grid';
import { userMpp } from '../../src-shared/units';
import { canonicalJson } from '../store/canonical-json';
import type { BundleIdentity } from '../store/store-types';
import { AnalysisMissingMppError, AnalysisOptionsError } from './analysis-errors';
import type { PlannedTile } from './tile-processing';
import { TissueCoverage } from './tissue-fraction';

/** Version of the tiling and ownership rules; part of the parameters, so a change re-runs. */
const PIPELINE_VERSION = 2;

/**
 * How far a user's pixel size may stray from the slide's own before it counts as
 * replacing it rather than restating it: 1 %, well above rounding in metadata.
 */
const MPP_AGREEMENT = 0.01;

/**
 * The calibration to analyse with: the user's value when given (recorded with
 * source `user`), else the slide's. Refuses a slide with neither, and a user's value
 * that contradicts the one the slide records unless `isOverrideAllowed`: every
 * size, area and tile would silently change scale.
 */
export function chooseMpp(
  info: SlideInfo,
  userMppX: number | undefined,
  isOverrideAllowed = false,
): Mpp {
  if (userMppX === undefined) {
    if (!info.mpp) throw new AnalysisMissingMppError();
    return info.mpp;
  }
  let chosen: Mpp;
  try {
    chosen = userMpp(userMppX);
  } catch (error) {
    throw new AnalysisOptionsError(
      error instanceof Error ? error.message : String(error),
    );
  }
  const recorded = info.mpp;
  if (
    recorded &&
    !isOverrideAllowed &&
    Math.abs(userMppX - recorded.x) > MPP_AGREEMENT * recorded.x
  ) {
    throw new AnalysisOptionsError(
      `The slide records ${recorded.x.toFixed(4)} µm/px (${recorded.source}), not ` +
        `${userMppX}. Leave out --mpp to use the slide's value, or pass --override-mpp ` +
        "as well if the slide's value is known to be wrong.",
    );
  }
  return chosen;
}

/** The region to analyse, clipped to the slide; the whole slide when none is given. */
export function chooseRegion(info: SlideInfo, regionBase: Rect | undefined): Rect {
  const slideRect = { x: 0, y: 0, width: info.widthPx, height: info.heightPx };
  if (!regionBase) return slideRect;

  const clipped = intersectRects(slideRect, regionBase);
  if (!clipped) {
    throw new AnalysisOptionsError(
      `The region ${regionBase.width}x${regionBase.height} at (${regionBase.x}, ${regionBase.y}) ` +
        `lies outside the slide (${info.widthPx}x${info.heightPx} level-0 px).`,
    );
  }
  return clipped;
}

/**
 * A grid over `regionBase`, its tiles in level-0 pixels of the whole slide.
 *
 * TODO: the first column and row of tiles start on the region's left and top edge
 * while the last ones read past its right and bottom edge, so a nucleus cut by the
 * left or top edge of a region inside a slide is stored as the cut part - on a 4 x 3
 * tile CMU-1 region, 6 of 167 stored nuclei reach those edges and are cut there.
 */
export function planTiles(options: {
  info: SlideInfo;
  mpp: Mpp;
  regionBase: Rect;
  manifest: BundleManifest;
  tissue: { mask: GridTissueMask; coverage: TissueCoverage } | null;
}): { grid: TileGrid; tiles: PlannedTile[] } {
  const { info, regionBase, manifest } = options;
  const grid = buildTileGrid(
    {
      widthPx: regionBase.width,
      heightPx: regionBase.height,
      levelDownsamples: info.levels.map((level) => level.downsample),
      mppX: options.mpp.x,
    },
    {
      targetMpp: manifest.input.targetMpp,
      tileSizePx: manifest.input.tileSizePx,
      overlapPx: manifest.input.recommendedOverlapPx,
    },
  );

  const shift = (rect: Rect) => ({
    ...rect,
    x: rect.x + regionBase.x,
    y: rect.y + regionBase.y,
  });
  const tiles = grid.tiles.map((tile) => {
    const coreBaseRect = shift(tile.coreBaseRect);
    return {
      tileIndex: tile.row * grid.columns + tile.column,
      baseRect: shift(tile.baseRect),
      coreBaseRect,
      tissueFraction: options.tissue
        ? options.tissue.coverage.fractionOf(coreBaseRect)
        : 1,
    };
  });
  return {
    grid,
    tiles: options.tissue ? tiles.filter((t) => t.tissueFraction > 0) : tiles,
  };
}

/** Every value that changes the result of an analysis; equal parameters mean equal runs. */
export function analysisParameters(options: {
  manifest: BundleManifest;
  mpp: Mpp;
  regionBase: Rect;
  level: number;
  isTissueFilterDisabled: boolean;
}): Record<string, unknown> {
  const { manifest, mpp } = options;
  return {
    pipelineVersion: PIPELINE_VERSION,
    tileSizePx: manifest.input.tileSizePx,
    overlapPx: manifest.input.recommendedOverlapPx,
    targetMpp: manifest.input.targetMpp,
    mpp: { x: mpp.x, y: mpp.y, source: mpp.source },
    regionBase: options.regionBase,
    level: options.level,
    postprocessing: manifest.postprocessing,
    isTissueFilterDisabled: options.isTissueFilterDisabled,
  };
}

/**
 * The bundle's identity: id, version and a sha256 over its file hashes and the rest
 * of its manifest (input normalisation, target mpp, post-processing, version...), so
 * a bundle whose manifest was edited never passes for the one a stored analysis ran.
 */
export function bundleIdentity(manifest: BundleManifest): BundleIdentity {
  const hash = createHash('sha256');
  for (const file of [...manifest.files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(`${file.path}\0${file.sha256}\n`);
  }
  hash.update(canonicalJson({ ...manifest, files: null }));
  return { id: manifest.id, version: manifest.version, sha256: hash.digest('hex') };
}
