/**
 * The check made when a slide opens: decode the first and last tile of the
 * lowest-resolution level. Tiles are usually stored in order, so a truncated
 * or damaged file fails here, before a pathologist starts reviewing it.
 */
import type { SlideReader } from './slide-reader';

/** Reads the top-left and bottom-right native tile of the smallest level. */
export async function probeLowResolutionTiles(reader: SlideReader): Promise<void> {
  const { levels } = reader.info;
  const level = levels[levels.length - 1]!;
  const tileWidthPx = Math.min(level.tileWidthPx ?? 256, level.widthPx);
  const tileHeightPx = Math.min(level.tileHeightPx ?? 256, level.heightPx);
  const lastX = Math.floor((level.widthPx - 1) / tileWidthPx) * tileWidthPx;
  const lastY = Math.floor((level.heightPx - 1) / tileHeightPx) * tileHeightPx;

  for (const { x, y } of [
    { x: 0, y: 0 },
    { x: lastX, y: lastY },
  ]) {
    await reader.readRegion({
      level: level.index,
      baseX: Math.round(x * level.downsample),
      baseY: Math.round(y * level.downsample),
      widthPx: Math.min(tileWidthPx, level.widthPx - x),
      heightPx: Math.min(tileHeightPx, level.heightPx - y),
    });
  }
}
