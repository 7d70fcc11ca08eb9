import { describe, expect, it } from 'vitest';
import {
  buildTileGrid,
  chooseLevel,
  type GridSlide,
  type TileGrid,
} from '../../src-shared/tile-grid';

const pyramid = (widthPx: number, heightPx: number, mppX: number): GridSlide => ({
  widthPx,
  heightPx,
  levelDownsamples: [1, 2, 4, 8.016],
  mppX,
});

/** Counts how many cores cover each level-0 pixel of the slide (exhaustive). */
function coverCounts(slide: GridSlide, grid: TileGrid): Uint8Array {
  const counts = new Uint8Array(slide.widthPx * slide.heightPx);
  for (const { coreBaseRect: r } of grid.tiles) {
    for (let y = r.y; y < r.y + r.height; y++) {
      for (let x = r.x; x < r.x + r.width; x++) counts[y * slide.widthPx + x]! += 1;
    }
  }
  return counts;
}

describe('chooseLevel', () => {
  it('keeps level 0 when the slide is 0.499 mpp and the target 0.5 mpp', () => {
    expect(chooseLevel([1, 2, 4], 0.5 / 0.499)).toBe(0);
  });

  it('picks the 2x level when a 0.25 mpp slide is read at 0.5 mpp', () => {
    expect(chooseLevel([1, 2, 4, 8], 0.5 / 0.25)).toBe(1);
  });

  it('picks the 2x level, not the 4x one, when a 0.16 mpp slide is read at 0.5 mpp', () => {
    expect(chooseLevel([1, 2, 4, 8], 0.5 / 0.16)).toBe(1);
  });

  it('picks the 4x level when a 0.092 mpp slide is read at 0.5 mpp (5.43x)', () => {
    expect(chooseLevel([1, 4, 16], 0.5 / 0.092)).toBe(1);
  });

  it('accepts a level a hair coarser than the target (2.0003 for 2.0)', () => {
    expect(chooseLevel([1, 2.0003, 4.002], 2)).toBe(1);
  });

  it('never picks a level coarser than the target by more than 1 %', () => {
    expect(chooseLevel([1, 2.05], 2)).toBe(0);
  });
});

describe('buildTileGrid', () => {
  it('reads level 0 and resamples by 1.002 for a 0.499 mpp slide at 0.5 mpp', () => {
    const grid = buildTileGrid(pyramid(2220, 2967, 0.499), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    expect(grid.level).toBe(0);
    expect(grid.resampleFactor).toBeCloseTo(1.002, 3);
  });

  it('reads the 2x level with no resampling for a 0.25 mpp slide at 0.5 mpp', () => {
    const grid = buildTileGrid(pyramid(4000, 3000, 0.25), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    expect(grid.level).toBe(1);
    expect(grid.resampleFactor).toBeCloseTo(1, 9);
  });

  it('reads the 2x level and shrinks by 1.5625 for a 0.16 mpp slide at 0.5 mpp', () => {
    const grid = buildTileGrid(pyramid(4000, 3000, 0.16), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    expect(grid.level).toBe(1);
    expect(grid.resampleFactor).toBeCloseTo(1.5625, 9);
  });

  it('reads the 4x level and shrinks by 1.359 for a 0.092 mpp slide at 0.5 mpp', () => {
    const grid = buildTileGrid(pyramid(9000, 7000, 0.092), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    expect(grid.level).toBe(2);
    expect(grid.resampleFactor).toBeCloseTo(0.5 / 0.092 / 4, 9);
  });

  it('makes every tile the same level-0 size, tile size times the downsample', () => {
    const grid = buildTileGrid(pyramid(3000, 2000, 0.25), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    const sizes = new Set(
      grid.tiles.map((t) => `${t.baseRect.width}x${t.baseRect.height}`),
    );
    expect([...sizes]).toEqual(['512x512']);
  });

  it('steps tiles by tile size minus overlap', () => {
    const grid = buildTileGrid(pyramid(3000, 2000, 0.5), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    expect(grid.tiles[1]!.baseRect.x - grid.tiles[0]!.baseRect.x).toBe(224);
  });

  it('insets each inner core by half the overlap', () => {
    const grid = buildTileGrid(pyramid(3000, 2000, 0.5), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    const inner = grid.tiles.find((t) => t.column === 1 && t.row === 1)!;
    expect(inner.coreBaseRect).toEqual({
      x: inner.baseRect.x + 16,
      y: inner.baseRect.y + 16,
      width: 224,
      height: 224,
    });
  });

  it('starts the first core at the slide edge and ends the last core at the opposite edge', () => {
    const slide = pyramid(1000, 700, 0.5);
    const grid = buildTileGrid(slide, { targetMpp: 0.5, tileSizePx: 256, overlapPx: 32 });
    const last = grid.tiles.at(-1)!;
    expect(grid.tiles[0]!.coreBaseRect.x).toBe(0);
    expect(last.coreBaseRect.x + last.coreBaseRect.width).toBe(1000);
    expect(last.coreBaseRect.y + last.coreBaseRect.height).toBe(700);
  });

  it('lets the last tile reach past the slide edge rather than shrink', () => {
    const grid = buildTileGrid(pyramid(1000, 700, 0.5), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    const last = grid.tiles.at(-1)!;
    expect(last.baseRect.x + last.baseRect.width).toBeGreaterThanOrEqual(1000);
    expect(last.baseRect.width).toBe(256);
  });

  it('covers a slide smaller than one tile with a single tile', () => {
    const grid = buildTileGrid(pyramid(100, 60, 0.5), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 32,
    });
    expect(grid.tiles).toHaveLength(1);
    expect(grid.tiles[0]!.coreBaseRect).toEqual({ x: 0, y: 0, width: 100, height: 60 });
  });

  it('lays out more columns than rows on a wide slide', () => {
    const grid = buildTileGrid(pyramid(5000, 600, 0.5), {
      targetMpp: 0.5,
      tileSizePx: 256,
      overlapPx: 0,
    });
    expect(grid.columns).toBe(20);
    expect(grid.rows).toBe(3);
  });

  it('rejects an overlap as large as the tile', () => {
    expect(() =>
      buildTileGrid(pyramid(500, 500, 0.5), {
        targetMpp: 0.5,
        tileSizePx: 64,
        overlapPx: 64,
      }),
    ).toThrow(RangeError);
  });

  it('rejects a slide without a positive mpp', () => {
    expect(() =>
      buildTileGrid(pyramid(500, 500, 0), {
        targetMpp: 0.5,
        tileSizePx: 64,
        overlapPx: 0,
      }),
    ).toThrow(/mpp/);
  });
});

describe('buildTileGrid cores (property)', () => {
  const cases: Array<[number, number, number, number, number, number]> = [];
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 40; i++) {
    const widthPx = 1 + Math.floor(random() * 1500);
    const heightPx = 1 + Math.floor(random() * 1500);
    const mppX = [0.092, 0.16, 0.2456, 0.25, 0.499, 0.5, 1.1][Math.floor(random() * 7)]!;
    const targetMpp = [0.25, 0.5, 1][Math.floor(random() * 3)]!;
    const tileSizePx = 16 + Math.floor(random() * 240);
    const overlapPx = Math.floor((random() * tileSizePx) / 2);
    cases.push([widthPx, heightPx, mppX, targetMpp, tileSizePx, overlapPx]);
  }

  it.each(cases)(
    'covers every pixel exactly once for a %ix%i slide at %f mpp, target %f, tile %i, overlap %i',
    (widthPx, heightPx, mppX, targetMpp, tileSizePx, overlapPx) => {
      const slide = { widthPx, heightPx, levelDownsamples: [1, 2, 4], mppX };
      const grid = buildTileGrid(slide, { targetMpp, tileSizePx, overlapPx });
      const counts = coverCounts(slide, grid);
      const coresOutsideTiles = grid.tiles.filter(({ baseRect: t, coreBaseRect: c }) => {
        const isInside = c.x >= t.x && c.y >= t.y;
        return !(
          isInside &&
          c.x + c.width <= t.x + t.width &&
          c.y + c.height <= t.y + t.height
        );
      });
      expect(counts.every((c) => c === 1)).toBe(true);
      expect(coresOutsideTiles).toEqual([]);
    },
  );
});

describe('buildTileGrid tissue filter', () => {
  const slide = pyramid(1000, 1000, 0.5);
  const options = { targetMpp: 0.5, tileSizePx: 250, overlapPx: 0 };

  it('keeps only tiles that touch a tissue pixel of the mask', () => {
    const data = new Uint8Array(100 * 100);
    data[10 * 100 + 10] = 1; // mask pixel (10,10) = level-0 (100..110, 100..110): tile (0,0)
    const grid = buildTileGrid(slide, {
      ...options,
      tissueMask: { widthPx: 100, heightPx: 100, data },
    });
    expect(grid.tiles.map((t) => [t.column, t.row])).toEqual([[0, 0]]);
    expect(grid.totalTileCount).toBe(16);
  });

  it('keeps no tile when the mask is empty', () => {
    const mask = { widthPx: 50, heightPx: 50, data: new Uint8Array(2500) };
    expect(buildTileGrid(slide, { ...options, tissueMask: mask }).tiles).toHaveLength(0);
  });

  it('keeps the tile on both sides of a boundary when tissue straddles it', () => {
    const data = new Uint8Array(100 * 100);
    data[0 * 100 + 25] = 1; // level-0 x 250..260: first pixel of column 1 only
    data[0 * 100 + 24] = 1; // level-0 x 240..250: last pixels of column 0
    const grid = buildTileGrid(slide, {
      ...options,
      tissueMask: { widthPx: 100, heightPx: 100, data },
    });
    expect(grid.tiles.map((t) => t.column)).toEqual([0, 1]);
  });
});
