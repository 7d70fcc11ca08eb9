/**
 * The pixel size an analysis ran at, as its parameters recorded it. Areas and
 * lengths of its nuclei must use this one: the slide's row holds the latest pixel
 * size any run was given, which a later `--mpp` changes.
 */
import type { Mpp } from '../../src-shared/slide-types';
import type { AnalysisRecord } from './store-types';

/** The analysis's pixel size; `fallback` for a record whose parameters lack one. */
export function analysisMpp(analysis: AnalysisRecord, fallback: Mpp | null): Mpp | null {
  const recorded = analysis.parameters.mpp as Partial<Mpp> | undefined;
  const isComplete =
    typeof recorded?.x === 'number' &&
    typeof recorded.y === 'number' &&
    typeof recorded.source === 'string';
  return isComplete ? (recorded as Mpp) : fallback;
}
