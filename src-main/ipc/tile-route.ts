/**
 * Parses the tile path both transports share, `<slideId>/<level>/<col>_<row>.jpeg`.
 * The grammar is closed: anything else (other characters, `..`, encoded slashes,
 * extra segments) is refused before a slide is looked up.
 */
import { AppError } from '../../src-shared/errors';

/** One Deep Zoom tile address. */
export interface TileAddress {
  slideId: string;
  level: number;
  col: number;
  row: number;
}

/** The tile path does not follow the grammar. */
export class TilePathError extends AppError {
  constructor() {
    super(
      'PATH_OUTSIDE_ROOT',
      'Refused a tile path: expected <slideId>/<level>/<col>_<row>.jpeg.',
    );
  }
}

const TILE_PATH = /^([A-Za-z0-9_-]{1,64})\/(\d{1,2})\/(\d{1,7})_(\d{1,7})\.jpeg$/;

/** Parses a tile path (no leading slash, not percent-decoded: escapes are refused). */
export function parseTilePath(tilePath: string): TileAddress {
  const match = TILE_PATH.exec(tilePath);
  if (!match) throw new TilePathError();
  const [, slideId, level, col, row] = match;
  return {
    slideId: slideId ?? '',
    level: Number(level),
    col: Number(col),
    row: Number(row),
  };
}

/** The tile path of an address (inverse of {@link parseTilePath}). */
export function formatTilePath(address: TileAddress): string {
  return `${address.slideId}/${address.level}/${address.col}_${address.row}.jpeg`;
}
