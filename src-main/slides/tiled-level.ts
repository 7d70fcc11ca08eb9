/**
 * Region reads over a level stored as a grid of tiles (TIFF tiles or strips,
 * DICOM frames): find the tiles a region touches, decode each once (with a small
 * cache), and paste them into a white canvas.
 */
import type { Rect } from '../../src-shared/geometry';
import type { RegionReadOptions, RgbImage } from './slide-reader';
import { blit, throwIfAborted, whiteImage } from './region-request';

/** One level of a tiled pyramid, as the composer sees it. */
export interface TiledLevel {
  widthPx: number;
  heightPx: number;
  tileWidthPx: number;
  tileHeightPx: number;
  /** Decodes one tile; `null` when the file stores none there (rendered white). */
  decodeTile(column: number, row: number): Promise<RgbImage | null>;
}

/** A least-recently-used cache of decoded tiles, bounded in bytes. */
export class TileCache {
  private readonly entries = new Map<string, Promise<RgbImage | null>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The cached tile for `key`, decoding it with `load` on a miss. */
  get(key: string, load: () => Promise<RgbImage | null>): Promise<RgbImage | null> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = load();
    this.entries.set(key, pending);
    pending.then(
      (tile) => this.account(key, tile),
      () => this.entries.delete(key),
    );
    return pending;
  }

  private account(key: string, tile: RgbImage | null): void {
    if (!this.entries.has(key)) return;
    this.bytes += tile ? tile.data.byteLength : 0;
    for (const [oldKey, oldTile] of this.entries) {
      if (this.bytes <= this.maxBytes || oldKey === key) break;
      this.entries.delete(oldKey);
      oldTile.then((old) => (this.bytes -= old ? old.data.byteLength : 0));
    }
  }
}

/** Reads `levelRect` (pixels of this level; may reach outside it) as RGB. */
export async function readTiledRegion(
  level: TiledLevel,
  levelRect: Rect,
  options: RegionReadOptions = {},
): Promise<RgbImage> {
  const { signal } = options;
  const canvas = whiteImage(levelRect.width, levelRect.height, options.into);
  const { tileWidthPx, tileHeightPx } = level;
  const firstColumn = Math.max(0, Math.floor(levelRect.x / tileWidthPx));
  const firstRow = Math.max(0, Math.floor(levelRect.y / tileHeightPx));
  const right = Math.min(level.widthPx, levelRect.x + levelRect.width);
  const bottom = Math.min(level.heightPx, levelRect.y + levelRect.height);
  const lastColumn = Math.ceil(right / tileWidthPx) - 1;
  const lastRow = Math.ceil(bottom / tileHeightPx) - 1;

  // Tiles on the right and bottom edges carry padding past the level: keep it white.
  const limits = {
    limitX: level.widthPx - levelRect.x,
    limitY: level.heightPx - levelRect.y,
  };
  // One row of tiles at a time: decodes within a row run in parallel, and an
  // abort is honoured between rows.
  for (let row = firstRow; row <= lastRow; row++) {
    throwIfAborted(signal);
    const pastes: Array<Promise<void>> = [];
    for (let column = firstColumn; column <= lastColumn; column++) {
      const at = {
        x: column * tileWidthPx - levelRect.x,
        y: row * tileHeightPx - levelRect.y,
        ...limits,
      };
      const paste = (tile: RgbImage | null) => {
        if (tile) blit(canvas, tile, at);
      };
      pastes.push(level.decodeTile(column, row).then(paste));
    }
    await Promise.all(pastes);
  }
  throwIfAborted(signal);
  return canvas;
}
