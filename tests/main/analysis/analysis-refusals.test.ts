import { afterEach, expect, it } from 'vitest';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { openStore } from '../../../src-main/store/store';
import { describeWithData, sharedSlide } from '../../support/shared-data';
import { CMU1_PATH, EPITHELIUM_REGION, temporaryFolder } from './analysis-fixture';

const TCGA_WITHOUT_MPP = sharedSlide('TCGA-CR-7395-01A-01-TS1.svs');

describeWithData('runAnalysis refusals and cancellation', () => {
  let temp = temporaryFolder();
  afterEach(() => {
    temp.cleanup();
    temp = temporaryFolder();
  });

  it('refuses a slide without mpp and says to pass --mpp', async () => {
    const run = runAnalysis({ slidePath: TCGA_WITHOUT_MPP, dbPath: temp.dbPath });
    await expect(run).rejects.toMatchObject({
      code: 'SLIDE_MISSING_MPP',
      message: expect.stringContaining('--mpp <value>'),
    });
  });

  it('records a user-supplied mpp with source user', async () => {
    const outcome = await runAnalysis({
      slidePath: TCGA_WITHOUT_MPP,
      dbPath: temp.dbPath,
      userMppX: 0.5,
      regionBase: { x: 1500, y: 1500, width: 100, height: 100 },
      isTissueFilterDisabled: true,
    });
    expect(outcome.mpp).toEqual({ x: 0.5, y: 0.5, source: 'user' });

    const store = openStore(temp.dbPath);
    const slide = store.listSlides()[0]!;
    expect(slide.mpp?.source).toBe('user');
    store.close();
  }, 300_000);

  it('refuses an implausible user mpp with the accepted range', async () => {
    const run = runAnalysis({
      slidePath: CMU1_PATH,
      dbPath: temp.dbPath,
      userMppX: 5000,
    });
    await expect(run).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('between'),
    });
  });

  it('refuses a region outside the slide', async () => {
    const run = runAnalysis({
      slidePath: CMU1_PATH,
      dbPath: temp.dbPath,
      regionBase: { x: 90_000, y: 90_000, width: 10, height: 10 },
    });
    await expect(run).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('stops promptly with status cancelled and keeps committed tiles when aborted', async () => {
    const controller = new AbortController();
    let abortedAtMs = 0;
    const outcome = await runAnalysis(
      {
        slidePath: CMU1_PATH,
        dbPath: temp.dbPath,
        regionBase: EPITHELIUM_REGION,
        batchSize: 2,
      },
      {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.tilesDone > 0 && !controller.signal.aborted) {
            abortedAtMs = performance.now();
            controller.abort();
          }
        },
      },
    );
    const stopMs = performance.now() - abortedAtMs;

    expect(outcome.end).toBe('cancelled');
    expect(outcome.tilesRun).toBeGreaterThan(0);
    expect(outcome.tilesRun).toBeLessThan(outcome.tilesTotal);
    // At most the inference already in flight and one tile's post-processing remain;
    // generous because the test machine's cores are shared.
    expect(stopMs).toBeLessThan(15_000);

    const store = openStore(temp.dbPath);
    const analysis = store.getAnalysis(outcome.analysisId);
    expect(analysis.status).toBe('cancelled');
    expect(analysis.committedTileCount).toBe(outcome.tilesRun);
    store.close();
  }, 300_000);
});
