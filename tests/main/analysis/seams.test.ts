import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyseRegionStitched } from '../../../src-main/analysis/stitched-region';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { readAllNuclei } from '../../../src-main/analysis/stored-nuclei';
import { openStore } from '../../../src-main/store/store';
import { describeWithData } from '../../support/shared-data';
import { BUNDLE_PATH, CMU1_PATH, temporaryFolder } from './analysis-fixture';
import { boxOf, intersectionArea, polygonIou, type Box } from './polygon-raster';
import {
  commitInBatches,
  finishSeamTiles,
  SEAM_MPP_X,
  SEAM_REGION,
} from './seam-fixture';

/** "A few pixels": 4 level-0 px² is 1 µm² at 0.5 mpp, a sliver along a shared border. */
const FEW_PIXELS_PX2 = 4;

/**
 * Largest relative difference in count from the single stitched pass (here 0 of 167
 * nuclei at the bundle's marker threshold). The stitched pass must see every pixel
 * the tiles read: cut at the region's right and bottom edges, it kept 7 fragments
 * of nuclei centred past the region that the tiles, seeing them whole, rightly left
 * out, and the count differed by 4 %.
 */
const COUNT_TOLERANCE = 0.01;

interface Outline {
  polygonBase: Float32Array;
  box: Box;
}

function outline(polygonBase: Float32Array): Outline {
  return { polygonBase, box: boxOf(polygonBase) };
}

function boxesMeet(a: Box, b: Box): boolean {
  return a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;
}

/** Outlines of `tiled` with a stitched outline at IoU > 0.9 (at most one each). */
function matchedCount(tiled: Outline[], stitched: Outline[]): number {
  return tiled.filter((a) =>
    stitched.some(
      (b) => boxesMeet(a.box, b.box) && polygonIou(a.polygonBase, b.polygonBase) > 0.9,
    ),
  ).length;
}

function largestOverlapPx2(outlines: Outline[]): number {
  let largest = 0;
  outlines.forEach((a, i) => {
    for (const b of outlines.slice(i + 1)) {
      if (!boxesMeet(a.box, b.box)) continue;
      largest = Math.max(largest, intersectionArea(a.polygonBase, b.polygonBase));
    }
  });
  return largest;
}

describeWithData('seams between tiles of a CMU-1 region', () => {
  const temp = temporaryFolder();
  let analysed: Outline[];
  let offered: Outline[];
  let stitched: Outline[];

  beforeAll(async () => {
    const options = {
      slidePath: CMU1_PATH,
      regionBase: SEAM_REGION,
      userMppX: SEAM_MPP_X,
    };
    const outcome = await runAnalysis({ ...options, dbPath: temp.dbPath });
    const store = openStore(temp.dbPath);
    analysed = readAllNuclei(store, outcome.analysisId).map((n) =>
      outline(n.polygonBase),
    );
    store.close();

    const tiles = await finishSeamTiles(true);
    const rows = [0, 4, 8].map((first) => [first, first + 1, first + 2, first + 3]);
    offered = commitInBatches(temp.folder, tiles, rows).polygonsBase.map(outline);

    const reference = await analyseRegionStitched({
      ...options,
      bundlePath: BUNDLE_PATH,
    });
    stitched = reference.map((n) =>
      outline(Float32Array.from(n.contourBase.flatMap((p) => [p.x, p.y]))),
    );
  }, 600_000);

  afterAll(() => temp.cleanup());

  it('finds the count of the single stitched pass within 1 % when tiles store offered nuclei', () => {
    // Enough nuclei that the bound is a few nuclei, not a free pass.
    expect(stitched.length).toBeGreaterThan(80);
    expect(Math.abs(offered.length - stitched.length)).toBeLessThanOrEqual(
      COUNT_TOLERANCE * stitched.length,
    );
  });

  it('finds the stitched count within 1 % when the analysis runs in tiles', () => {
    expect(Math.abs(analysed.length - stitched.length)).toBeLessThanOrEqual(
      COUNT_TOLERANCE * stitched.length,
    );
  });

  it('matches 90 % of the stitched outlines at IoU > 0.9 when analysed in tiles', () => {
    for (const tiled of [analysed, offered]) {
      const matched = matchedCount(tiled, stitched);
      expect(matched).toBeGreaterThanOrEqual(
        0.9 * Math.max(tiled.length, stitched.length),
      );
    }
  });

  it('stores no two nuclei sharing more than a few pixels when analysed in tiles', () => {
    expect(largestOverlapPx2(analysed)).toBeLessThanOrEqual(FEW_PIXELS_PX2);
    expect(largestOverlapPx2(offered)).toBeLessThanOrEqual(FEW_PIXELS_PX2);
  });
});
