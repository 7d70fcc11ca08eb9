import { expect, it } from 'vitest';
import { ProgressTracker } from '../../../src-main/analysis/analysis-progress';

it('counts a resumed run on from the tiles and nuclei already stored', () => {
  const progress = new ProgressTracker({
    tilesTotal: 252,
    tilesAlreadyDone: 68,
    nucleiAlreadyStored: 1093,
    nowMs: 0,
  });
  expect(progress.snapshot()).toMatchObject({ tilesDone: 68, nucleiStored: 1093 });
  expect(progress.record(4, 60, 1000)).toMatchObject({
    tilesDone: 72,
    nucleiStored: 1153,
  });
});
