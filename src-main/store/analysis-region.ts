/**
 * The part of a slide an analysis covered, as its parameters recorded it: `null`
 * for the whole slide, else the level-0 rectangle `--region` asked for (cut at the
 * slide's edge). Exports and renders use it to prefer analyses that cover what
 * they show, and to say when they show a partial one.
 */
import type { Rect } from '../../src-shared/geometry';
import type { AnalysisRecord } from './store-types';

/** The slide's level-0 size, as its record holds it. */
interface SlideSize {
  widthPx: number;
  heightPx: number;
}

/**
 * The level-0 region `analysis` covered; `null` when it covered the whole slide.
 * A whole-slide analysis records the slide's own rectangle as its region, and an
 * analysis stored before regions were recorded records none.
 */
export function analysedRegionOf(
  analysis: AnalysisRecord,
  slide: SlideSize,
): Rect | null {
  const region = analysis.parameters.regionBase as Partial<Rect> | undefined;
  const values = [region?.x, region?.y, region?.width, region?.height];
  if (!values.every((value) => typeof value === 'number')) return null;
  const { x, y, width, height } = region as Rect;
  const isWholeSlide =
    x <= 0 && y <= 0 && x + width >= slide.widthPx && y + height >= slide.heightPx;
  return isWholeSlide ? null : { x, y, width, height };
}
