import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildSlideSummary,
  exportSummary,
  type SlideSummaryDocument,
} from '../../../src-main/export/summary-export';
import type { ResultStore } from '../../../src-main/store/index';
import { makeStore } from '../store/store-fixtures';
import {
  expectedCountsByType,
  PATIENT_MARKERS,
  PATIENT_PATH,
  ROIS,
  seedFinishedAnalysis,
  seedTriagedAnalysis,
} from './triage-fixture';

let store: ResultStore;
let dir: string;
let cleanup: () => void;

beforeEach(() => ({ store, dir, cleanup } = makeStore()));
afterEach(() => cleanup());

async function exportAndRead(analysisId: number) {
  const outPath = path.join(dir, 'summary.json');
  const count = await exportSummary({ store, analysisId, outPath });
  const text = readFileSync(outPath, 'utf8');
  return { count, text, summary: JSON.parse(text) as SlideSummaryDocument };
}

describe('exportSummary', () => {
  it('writes the verdict, its reasons and the verdict grid counts', async () => {
    const { summary } = await exportAndRead(seedTriagedAnalysis(store));

    expect(summary).toMatchObject({
      format: 'cellvit-slide-summary',
      formatVersion: 1,
      triage: {
        verdict: 'out-of-domain',
        verdictLabel: 'Out-of-domain',
        siteProfile: { siteId: 'default', isColdStart: true },
        verdictGrid: {
          cellSizeMicrons: 256,
          cellCount: 9,
          countsByVerdict: { reliable: 7, review: 1, 'out-of-domain': 1 },
        },
      },
    });
    expect(summary.triage!.reasons.map((r) => r.code)).toEqual([
      'ood-regions',
      'review-regions',
    ]);
  });

  it('lists the ranked ROIs with priority, reasons and level-0 rectangle', async () => {
    const { count, summary } = await exportAndRead(seedTriagedAnalysis(store));

    expect(count).toBe(ROIS.length);
    expect(summary.topRois[0]).toMatchObject({
      rank: 1,
      priority: 'critical',
      baseRect: { x: 0, y: 0, width: 1024, height: 1024 },
      reasons: [{ code: 'ood-distance' }, { code: 'nt-entropy-high' }],
    });
    expect(summary.topRois[1]).toMatchObject({ rank: 2, priority: 'low' });
  });

  it('carries the analysis identity and the nuclei counts of the stored nuclei', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const { summary } = await exportAndRead(analysisId);

    expect(summary).toMatchObject({
      analysisId,
      slideContentId: 'c'.repeat(64),
      mpp: { x: 0.5, y: 0.5, source: 'openslide-property' },
      bundle: { id: 'test-bundle', version: '1.2.3' },
      siteProfileVersion: 'site-a@3',
    });
    expect(summary.nucleusCountsByType).toEqual(expectedCountsByType(store, analysisId));
  });

  it('writes a null triage and no ROIs when the analysis was not triaged', async () => {
    const { count, summary } = await exportAndRead(seedFinishedAnalysis(store));
    expect(count).toBe(0);
    expect(summary.triage).toBeNull();
    expect(summary.topRois).toEqual([]);
  });

  it('names no part of the slide path when the path holds an accession number', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const { slideId } = store.getAnalysis(analysisId);
    expect(store.getSlide(slideId).lastPath).toBe(PATIENT_PATH);

    const { text } = await exportAndRead(analysisId);
    for (const marker of PATIENT_MARKERS) expect(text).not.toContain(marker);
  });
});

describe('buildSlideSummary', () => {
  it('fails with STORE_NOT_FOUND when the analysis does not exist', () => {
    expect(() => buildSlideSummary(store, 99)).toThrow(
      expect.objectContaining({ code: 'STORE_NOT_FOUND' }),
    );
  });
});
