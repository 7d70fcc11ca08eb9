/**
 * The part of a slide an analysis covered, as its parameters recorded it: `null`
 * for the whole slide, else the level-0 rectangle `--region` asked for (cut at the
 * slide's edge). Exports and renders use it to prefer analyses that cover what
 * they show, and to say when they show a partial one.
 */
import type { Rect } from '../../src-shared/geometry';
import type { AnalysisRecord } from './store-types';

/** The level-0 region `analysis` covered; `null` when it covered the whole slide. */
export function analysedRegionOf(analysis: AnalysisRecord): Rect | null {
  const region = analysis.parameters.regionBase as Partial<Rect> | undefined;
  const values = [region?.x, region?.y, region?.width, region?.height];
  if (!values.every((value) => typeof value === 'number')) return null;
  return region as Rect;
}
