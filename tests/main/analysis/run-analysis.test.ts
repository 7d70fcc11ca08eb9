import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import {
  readAllNuclei,
  type StoredNucleus,
} from '../../../src-main/analysis/stored-nuclei';
import type { AnalysisOutcome } from '../../../src-main/analysis/analysis-types';
import type { AnalysisProgress } from '../../../src-main/analysis/analysis-progress';
import { openStore } from '../../../src-main/store/store';
import { describeWithData } from '../../support/shared-data';
import { CMU1_PATH, EPITHELIUM_REGION, temporaryFolder } from './analysis-fixture';

describeWithData('runAnalysis on a CMU-1 region', () => {
  const temp = temporaryFolder();
  const progress: AnalysisProgress[] = [];
  let outcome: AnalysisOutcome;
  let nuclei: StoredNucleus[];

  beforeAll(async () => {
    outcome = await runAnalysis(
      { slidePath: CMU1_PATH, dbPath: temp.dbPath, regionBase: EPITHELIUM_REGION },
      { onProgress: (report) => progress.push(report) },
    );
    const store = openStore(temp.dbPath);
    nuclei = readAllNuclei(store, outcome.analysisId);
    store.close();
  }, 600_000);

  afterAll(() => temp.cleanup());

  it('finishes and stores every planned tile', () => {
    expect(outcome.end).toBe('done');
    expect(outcome.tilesRun).toBe(outcome.tilesTotal);
    expect(outcome.tilesTotal).toBeGreaterThan(0);
  });

  it('stores a plausible number of nuclei for 128 µm of epithelium', () => {
    // 256 x 256 level-0 px at 0.499 mpp is 128 x 128 µm; epithelium holds roughly one
    // nucleus per 60-250 µm², so anything from ~50 to ~400 is plausible.
    expect(nuclei.length).toBe(outcome.nucleusCount);
    expect(nuclei.length).toBeGreaterThan(50);
    expect(nuclei.length).toBeLessThan(400);
  });

  it('keeps every stored centroid inside the analysed region', () => {
    const { x, y, width, height } = EPITHELIUM_REGION;
    for (const nucleus of nuclei) {
      expect(nucleus.centroidBaseX).toBeGreaterThanOrEqual(x);
      expect(nucleus.centroidBaseX).toBeLessThan(x + width);
      expect(nucleus.centroidBaseY).toBeGreaterThanOrEqual(y);
      expect(nucleus.centroidBaseY).toBeLessThan(y + height);
    }
  });

  it('keeps every outline within a nucleus diameter of the region', () => {
    const marginPx = 20; // 10 µm at 0.499 mpp: larger than any nucleus radius
    const { x, y, width, height } = EPITHELIUM_REGION;
    for (const nucleus of nuclei) {
      for (let k = 0; k < nucleus.polygonBase.length; k += 2) {
        expect(nucleus.polygonBase[k]!).toBeGreaterThan(x - marginPx);
        expect(nucleus.polygonBase[k]!).toBeLessThan(x + width + marginPx);
        expect(nucleus.polygonBase[k + 1]!).toBeGreaterThan(y - marginPx);
        expect(nucleus.polygonBase[k + 1]!).toBeLessThan(y + height + marginPx);
      }
    }
  });

  it('reports nucleus areas in a plausible range of µm²', () => {
    const { mpp } = outcome;
    const areasMicrons2 = nuclei
      .map((n) => n.areaPx * mpp.x * mpp.y)
      .sort((a, b) => a - b);
    const median = areasMicrons2[Math.floor(areasMicrons2.length / 2)]!;
    expect(median).toBeGreaterThan(10);
    expect(median).toBeLessThan(150);
  });

  it('reports progress up to all tiles with a rate', () => {
    const last = progress.at(-1)!;
    expect(last.tilesDone).toBe(outcome.tilesTotal);
    expect(last.tilesPerSecond).toBeGreaterThan(0);
    expect(progress.map((p) => p.tilesDone)).toEqual(
      [...progress.map((p) => p.tilesDone)].sort((a, b) => a - b),
    );
  });

  it('records a slide verdict with its reasons', () => {
    expect(outcome.triage).not.toBeNull();
    expect(['reliable', 'review', 'out-of-domain']).toContain(outcome.triage!.verdict);
  });

  it('reuses the finished analysis when run again with the same settings', async () => {
    const again = await runAnalysis({
      slidePath: CMU1_PATH,
      dbPath: temp.dbPath,
      regionBase: EPITHELIUM_REGION,
    });
    expect(again.end).toBe('already-done');
    expect(again.analysisId).toBe(outcome.analysisId);
    expect(again.nucleusCount).toBe(outcome.nucleusCount);
  });
});
