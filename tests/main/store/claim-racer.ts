/**
 * Child process of the claim race test: opens the database given as argv[2],
 * prints `ready`, and waits for a line `go <epoch ms>` on stdin. At that moment
 * (spinning, so that every racer starts within microseconds of the others) it asks
 * to start or continue the analysis of a fixed synthetic slide and prints
 * `claimed <analysis id>` or `refused <error code>`. It stays alive until its
 * stdin closes, so a claim it took stays live while the other racers try.
 */
import { AppError } from '../../../src-shared/errors';
import { openStore } from '../../../src-main/store/index';
import {
  syntheticClasses,
  syntheticSlideInput,
} from '../../../src-main/store/synthetic-results';
import { SMALL_SPEC, TEST_BUNDLE } from './store-fixtures';

const store = openStore(process.argv[2]!);
const slide = store.upsertSlide(syntheticSlideInput('race-test-slide', SMALL_SPEC));
function startAnalysis(): string {
  try {
    const run = store.startAnalysisRun(
      {
        slideId: slide.id,
        bundle: TEST_BUNDLE,
        parameters: { seed: SMALL_SPEC.seed },
        nucleusClasses: syntheticClasses(SMALL_SPEC),
        appVersion: '0.1.0-test',
        siteProfileVersion: null,
        plannedTileCount: SMALL_SPEC.tileColumns * SMALL_SPEC.tileRows,
      },
      { canResume: true },
    );
    return `claimed ${run.analysis.id}`;
  } catch (error) {
    // The parent reads the code; any other failure it reports as such.
    return `refused ${error instanceof AppError ? error.code : 'INTERNAL'}`;
  }
}

process.stdin.setEncoding('utf8').on('data', (text: string) => {
  const go = /go (\d+)/.exec(text);
  if (!go) return;
  const startMs = Number(go[1]);
  while (Date.now() < startMs) {
    // Spin: a timer would wake each racer at a different moment.
  }
  process.stdout.write(`${startAnalysis()}\n`);
});
process.stdin.on('end', () => store.close());
process.stdout.write('ready\n');
