import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  exportGeoJson,
  type ExportFeatureSource,
  type GeoJsonFeature,
} from '../../../src-main/export/geojson-export';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, seedAnalysis, SMALL_SPEC } from '../store/store-fixtures';

let store: ResultStore;
let dir: string;
let cleanup: () => void;
let analysisId: number;
let slideId: number;

beforeEach(() => {
  ({ store, dir, cleanup } = makeStore());
  const seeded = seedAnalysis(store);
  analysisId = seeded.analysis.id;
  slideId = seeded.slide.id;
  store.commitTileBatch(
    analysisId,
    [0, 1, 2].map((i) => syntheticTile(SMALL_SPEC, i)),
  );
  store.finishAnalysis(analysisId);
});
afterEach(() => cleanup());

interface Collection {
  type: string;
  cellvit: Record<string, unknown>;
  features: GeoJsonFeature[];
}

async function exportAndRead(extraSources: ExportFeatureSource[] = []) {
  const outPath = path.join(dir, 'out.geojson');
  const count = await exportGeoJson({ store, analysisId, outPath, extraSources });
  const text = readFileSync(outPath, 'utf8');
  return { count, text, collection: JSON.parse(text) as Collection };
}

describe('exportGeoJson', () => {
  it('writes one detection feature per nucleus in a FeatureCollection', async () => {
    const { count, collection } = await exportAndRead();
    expect(collection.type).toBe('FeatureCollection');
    expect(count).toBe(3 * SMALL_SPEC.nucleiPerTile);
    expect(collection.features).toHaveLength(count);
    expect(collection.features[0]!.properties).toMatchObject({
      objectType: 'detection',
      isLocked: false,
    });
  });

  it('closes every polygon ring in level-0 pixels', async () => {
    const { collection } = await exportAndRead();
    const feature = collection.features[0]!;
    const [ring] = feature.geometry.coordinates as number[][][];
    const input = syntheticTile(SMALL_SPEC, 0).nuclei[0]!.polygonBase;

    expect(feature.geometry.type).toBe('Polygon');
    expect(ring!.at(-1)).toEqual(ring![0]);
    expect(ring!).toHaveLength(SMALL_SPEC.verticesPerNucleus + 1);
    expect(ring![1]![0]).toBeCloseTo(input[2]!, 2);
  });

  it('gives the classification name and an RGB colour from the bundle classes', async () => {
    const { collection } = await exportAndRead();
    const typeIndex = syntheticTile(SMALL_SPEC, 0).nuclei[0]!.typeIndex;
    const expected = store
      .getAnalysis(analysisId)
      .nucleusClasses.find((c) => c.index === typeIndex)!;
    const rgb = [1, 3, 5].map((k) => Number.parseInt(expected.color.slice(k, k + 2), 16));

    expect(collection.features[0]!.properties.classification).toEqual({
      name: expected.name,
      color: rgb,
    });
  });

  it('reports area in µm² with probabilities and entropies when the slide is calibrated', async () => {
    const { collection } = await exportAndRead();
    const measurements = collection.features[0]!.properties.measurements as Record<
      string,
      number
    >;
    const input = syntheticTile(SMALL_SPEC, 0).nuclei[0]!;

    expect(measurements['Area µm^2']).toBeCloseTo(input.areaPx * 0.25, 2);
    expect(measurements['Area px^2']).toBeUndefined();
    expect(measurements['Nucleus probability']).toBeCloseTo(input.nucleusProbability, 3);
    expect(Object.keys(measurements)).toContain('Probability: neoplastic');
    expect(Object.keys(measurements)).toContain('Type entropy (nats)');
  });

  it('reports area in px² when the slide has no calibration', async () => {
    store.db
      .prepare('UPDATE slides SET mpp_x = NULL, mpp_y = NULL, mpp_source = NULL')
      .run();
    const { collection } = await exportAndRead();
    const measurements = collection.features[0]!.properties.measurements as Record<
      string,
      number
    >;
    expect(measurements['Area px^2']).toBeGreaterThan(0);
    expect(measurements['Area µm^2']).toBeUndefined();
  });

  it('gives every nucleus a distinct UUID that is the same on a second export', async () => {
    const first = (await exportAndRead()).collection.features.map((f) => f.id);
    const second = (await exportAndRead()).collection.features.map((f) => f.id);
    expect(new Set(first).size).toBe(first.length);
    expect(first[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second).toEqual(first);
  });

  it('names the slide by content id and never by its path or file name', async () => {
    const { text, collection } = await exportAndRead();
    expect(collection.cellvit.slideContentId).toBe(store.getSlide(slideId).contentId);
    expect(text).not.toContain('Smith');
    expect(text).not.toContain('S-24-001234');
  });

  it('appends the features and metadata of extra sources after the nuclei', async () => {
    const roiSource: ExportFeatureSource = {
      name: 'rois',
      features: () => [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [10, 0],
                [10, 10],
                [0, 0],
              ],
            ],
          },
          properties: { objectType: 'annotation', name: 'ROI 1' },
        },
      ],
      metadata: () => ({ slideSummary: { verdict: 'review' } }),
    };
    const { count, collection } = await exportAndRead([roiSource]);

    expect(count).toBe(3 * SMALL_SPEC.nucleiPerTile + 1);
    expect(collection.features.at(-1)!.properties.name).toBe('ROI 1');
    expect(collection.cellvit.slideSummary).toEqual({ verdict: 'review' });
  });

  it('leaves no file behind when the output folder does not exist', async () => {
    const outPath = path.join(dir, 'missing-folder', 'out.geojson');
    await expect(exportGeoJson({ store, analysisId, outPath })).rejects.toMatchObject({
      code: 'EXPORT_FAILED',
    });
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });
});
