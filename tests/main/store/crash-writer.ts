/**
 * Child process of the crash test: analyses a synthetic slide into the database
 * given as argv[2], resuming whatever an earlier (killed) run committed.
 * Prints `pending <n>` once it knows its work, `committed <k>` after each batch it
 * commits (k batches so far), then `done`.
 */
import { openStore } from '../../../src-main/store/index';
import {
  syntheticClasses,
  syntheticSlideInput,
  syntheticTile,
} from '../../../src-main/store/synthetic-results';
import { CRASH_SPEC } from './crash-spec';

const BATCH_TILES = 3;
const store = openStore(process.argv[2]!);
const slide = store.upsertSlide(syntheticSlideInput('crash-test-slide', CRASH_SPEC));
const request = {
  slideId: slide.id,
  bundle: { id: 'crash', version: '1.0.0', sha256: '1'.repeat(64) },
  parameters: { seed: CRASH_SPEC.seed },
};
// A run killed between finishing and printing `done` leaves a finished analysis.
const finished = store.listAnalyses(slide.id).find((a) => a.status === 'done');
if (finished) {
  process.stdout.write('pending 0\ndone\n');
  process.exit(0);
}
const analysis =
  store.findResumableAnalysis(request) ??
  store.createAnalysis({
    ...request,
    nucleusClasses: syntheticClasses(CRASH_SPEC),
    appVersion: 'crash-test',
    siteProfileVersion: null,
    plannedTileCount: CRASH_SPEC.tileColumns * CRASH_SPEC.tileRows,
  });

const all = Array.from({ length: analysis.plannedTileCount }, (_, i) => i);
const pending = store.pendingTiles(analysis.id, all);
process.stdout.write(`pending ${pending.length}\n`);
for (let first = 0; first < pending.length; first += BATCH_TILES) {
  const batch = pending
    .slice(first, first + BATCH_TILES)
    .map((i) => syntheticTile(CRASH_SPEC, i));
  store.commitTileBatch(analysis.id, batch);
  process.stdout.write(`committed ${first / BATCH_TILES + 1}\n`);
}
store.finishAnalysis(analysis.id);
store.close();
process.stdout.write('done\n');
