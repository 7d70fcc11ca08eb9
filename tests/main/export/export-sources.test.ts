import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_SOURCES, exportSources } from '../../../src-main/export/export-sources';
import {
  exportGeoJson,
  type ExportFeatureSource,
  type GeoJsonFeature,
} from '../../../src-main/export/geojson-export';
import type { ResultStore } from '../../../src-main/store/index';
import { makeStore, SMALL_SPEC, TEST_BUNDLE } from '../store/store-fixtures';
import {
  expectedCountsByType,
  PATIENT_MARKERS,
  PATIENT_PATH,
  seedFinishedAnalysis,
  seedTriagedAnalysis,
  SLIDE_REASONS,
  TILE_INDICES,
} from './triage-fixture';

let store: ResultStore;
let dir: string;
let cleanup: () => void;

beforeEach(() => ({ store, dir, cleanup } = makeStore()));
afterEach(() => cleanup());

interface Collection {
  cellvit: Record<string, unknown> & {
    nucleusCountsByType: Record<string, number>;
    triage: {
      verdict: string;
      verdictLabel: string;
      reasons: Array<{ code: string; text: string }>;
      siteProfile: { isColdStart: boolean };
    } | null;
  };
  features: GeoJsonFeature[];
}

async function exportWith(analysisId: number, sources = EXPORT_SOURCES) {
  const outPath = path.join(dir, 'triage.geojson');
  await exportGeoJson({ store, analysisId, outPath, extraSources: sources });
  const text = readFileSync(outPath, 'utf8');
  return { text, collection: JSON.parse(text) as Collection };
}

function annotations(collection: Collection, kind: string) {
  return collection.features.filter(
    (f) => (f.properties.cellvit as { kind?: string } | undefined)?.kind === kind,
  );
}

describe('EXPORT_SOURCES', () => {
  it('writes each ranked ROI as an annotation with its priority and reasons', async () => {
    const { collection } = await exportWith(seedTriagedAnalysis(store));
    const [first, second] = annotations(collection, 'roi');

    expect(first!.properties).toMatchObject({
      objectType: 'annotation',
      name: 'ROI 1 (critical)',
      classification: { name: 'ROI: critical' },
      measurements: { Rank: 1, Score: 0.8125, 'Score: uncertainty': 1 },
      cellvit: { rank: 1, priority: 'critical', verdict: 'out-of-domain' },
    });
    const reasons = (first!.properties.cellvit as { reasons: Array<{ code: string }> })
      .reasons;
    expect(reasons.map((r) => r.code)).toEqual(['ood-distance', 'nt-entropy-high']);
    expect(second!.properties.cellvit).toMatchObject({ priority: 'low', reasons: [] });
  });

  it('keeps every triage rectangle closed and inside the slide', async () => {
    const { collection } = await exportWith(seedTriagedAnalysis(store));
    const slideWidthPx = SMALL_SPEC.tileColumns * SMALL_SPEC.tileSizePx;
    const slideHeightPx = SMALL_SPEC.tileRows * SMALL_SPEC.tileSizePx;
    const triage = collection.features.filter(
      (f) => f.properties.objectType === 'annotation',
    );

    expect(triage.length).toBeGreaterThan(0);
    for (const feature of triage) {
      const [ring] = feature.geometry.coordinates as number[][][];
      expect(ring).toHaveLength(5);
      expect(ring!.at(-1)).toEqual(ring![0]);
      for (const [x, y] of ring!) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(slideWidthPx);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(slideHeightPx);
      }
    }
  });

  it('writes only the non-Reliable verdict cells by default', async () => {
    const { collection } = await exportWith(seedTriagedAnalysis(store));
    const cells = annotations(collection, 'verdict-cell');

    expect(cells.map((c) => c.properties.classification)).toEqual([
      { name: 'Out-of-domain', color: [183, 28, 28] },
      { name: 'Review', color: [178, 106, 0] },
    ]);
    expect(cells[0]!.properties.cellvit).toMatchObject({
      reasons: [{ code: 'ood-distance', value: 7.25, threshold: 3 }],
    });
  });

  it('writes every verdict cell when Reliable cells are asked for', async () => {
    const sources: ExportFeatureSource[] = exportSources({ includeReliableCells: true });
    const { collection } = await exportWith(seedTriagedAnalysis(store), sources);
    expect(annotations(collection, 'verdict-cell')).toHaveLength(9);
  });

  it('carries the slide verdict, its reasons and the profile in the collection', async () => {
    const { collection } = await exportWith(seedTriagedAnalysis(store));
    const { triage } = collection.cellvit;

    expect(triage).toMatchObject({
      verdict: 'out-of-domain',
      verdictLabel: 'Out-of-domain',
    });
    expect(triage!.reasons.map((r) => r.code)).toEqual(SLIDE_REASONS.map((r) => r.code));
    expect(triage!.reasons[0]!.text).toMatch(/out-of-domain/i);
    expect(triage!.siteProfile.isColdStart).toBe(true);
    expect(collection.cellvit.bundle).toEqual(TEST_BUNDLE);
  });

  it('counts nuclei per type as the detections in the file do', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const { collection } = await exportWith(analysisId);
    const fromDetections: Record<string, number> = {};
    for (const feature of collection.features) {
      if (feature.properties.objectType !== 'detection') continue;
      const name = (feature.properties.classification as { name: string }).name;
      fromDetections[name] = (fromDetections[name] ?? 0) + 1;
    }
    const counts = collection.cellvit.nucleusCountsByType;

    expect(counts).toEqual(expectedCountsByType(store, analysisId));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(
      TILE_INDICES.length * SMALL_SPEC.nucleiPerTile,
    );
    for (const [name, count] of Object.entries(fromDetections))
      expect(counts[name]).toBe(count);
  });

  it('writes nuclei only and a null triage when the analysis was not triaged', async () => {
    const { collection } = await exportWith(seedFinishedAnalysis(store));
    expect(collection.cellvit.triage).toBeNull();
    expect(
      collection.features.every((f) => f.properties.objectType === 'detection'),
    ).toBe(true);
  });

  it('names no part of the slide path when the path holds an accession number', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const { slideId } = store.getAnalysis(analysisId);
    expect(store.getSlide(slideId).lastPath).toBe(PATIENT_PATH);

    const { text } = await exportWith(analysisId);
    for (const marker of PATIENT_MARKERS) expect(text).not.toContain(marker);
  });
});
