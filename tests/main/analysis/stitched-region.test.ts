import { describe, expect, it } from 'vitest';
import { tilesReach } from '../../../src-main/analysis/stitched-region';

/**
 * A region of 100 x 60 level-0 px at (10, 20) in two tiles of 64 px overlapping by
 * 16: the second tile reaches 12 px past the region's right edge and both reach 4 px
 * past its bottom edge.
 */
const REGION = { x: 10, y: 20, width: 100, height: 60 };
const TILES = [
  {
    baseRect: { x: 10, y: 20, width: 64, height: 64 },
    coreBaseRect: { x: 10, y: 20, width: 56, height: 60 },
  },
  {
    baseRect: { x: 58, y: 20, width: 64, height: 64 },
    coreBaseRect: { x: 66, y: 20, width: 44, height: 60 },
  },
];

describe('tilesReach', () => {
  it('spans every pixel the tiles read when tiles reach past the region', () => {
    const { canvasBase } = tilesReach(TILES, REGION);

    expect(canvasBase).toEqual({ x: 10, y: 20, width: 112, height: 64 });
  });

  it('grows cores only on the sides that lie on the region edge', () => {
    const { tiles } = tilesReach(TILES, REGION);

    expect(tiles.map((tile) => tile.coreBaseRect)).toEqual([
      { x: 10, y: 20, width: 56, height: 64 },
      { x: 66, y: 20, width: 56, height: 64 },
    ]);
    expect(tiles.map((tile) => tile.baseRect)).toEqual(TILES.map((t) => t.baseRect));
  });

  it('leaves the cores as they are when the tiles end on the region edge', () => {
    const region = { x: 10, y: 20, width: 112, height: 64 };
    const tiles = TILES.map((tile) => ({
      baseRect: tile.baseRect,
      coreBaseRect: { ...tile.coreBaseRect, width: 56, height: 64 },
    }));

    const reach = tilesReach(tiles, region);

    expect(reach.canvasBase).toEqual(region);
    expect(reach.tiles.map((tile) => tile.coreBaseRect)).toEqual(
      tiles.map((tile) => tile.coreBaseRect),
    );
  });
});
