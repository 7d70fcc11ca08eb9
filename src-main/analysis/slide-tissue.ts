/**
 * The slide's tissue mask as the analysis uses it: the grid's mask (to skip glass
 * and pen ink) and a coverage index (tissue fraction per tile core).
 */
import type { GridTissueMask } from '../../src-shared/tile-grid';
import type { SlideReader } from '../slides/slide-reader';
import { computeTissueMask } from '../slides/tissue-mask';
import { TissueCoverage } from './tissue-fraction';

/** The slide's tissue mask and its coverage index. */
export async function readTissue(
  reader: SlideReader,
  signal?: AbortSignal,
): Promise<{ mask: GridTissueMask; coverage: TissueCoverage }> {
  const mask = await computeTissueMask(reader, signal);
  return { mask, coverage: new TissueCoverage(mask, reader.info) };
}
