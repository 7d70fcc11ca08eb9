import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField, exportCsv } from '../../../src-main/export/csv-export';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, seedAnalysis, SMALL_SPEC } from '../store/store-fixtures';

let store: ResultStore;
let dir: string;
let cleanup: () => void;
let analysisId: number;

beforeEach(() => {
  ({ store, dir, cleanup } = makeStore());
  analysisId = seedAnalysis(store).analysis.id;
  store.commitTileBatch(
    analysisId,
    [0, 1].map((i) => syntheticTile(SMALL_SPEC, i)),
  );
});
afterEach(() => cleanup());

async function exportLines(): Promise<string[]> {
  const outPath = path.join(dir, 'nuclei.csv');
  await exportCsv({ store, analysisId, outPath });
  return readFileSync(outPath, 'utf8').trimEnd().split('\n');
}

describe('exportCsv', () => {
  it('writes a header and one row per nucleus', async () => {
    const lines = await exportLines();
    expect(lines).toHaveLength(1 + 2 * SMALL_SPEC.nucleiPerTile);
    expect(lines[0]).toBe(
      'id,tile_index,centroid_x_px,centroid_y_px,area_um2,type_index,type_name,' +
        'nucleus_probability,nucleus_entropy,type_entropy,p_neoplastic,p_inflammatory,' +
        'p_connective,p_dead,p_epithelial',
    );
  });

  it('writes the centroid in level-0 pixels and the type name of each nucleus', async () => {
    const [, first] = await exportLines();
    const fields = first!.split(',');
    const input = syntheticTile(SMALL_SPEC, 0).nuclei[0]!;

    expect(Number(fields[2])).toBeCloseTo(input.centroidBaseX, 2);
    expect(Number(fields[3])).toBeCloseTo(input.centroidBaseY, 2);
    expect(Number(fields[5])).toBe(input.typeIndex);
    expect(fields[6]).toBe(
      store.getAnalysis(analysisId).nucleusClasses[input.typeIndex - 1]!.name,
    );
  });

  it('names the area column in px² when the slide has no calibration', async () => {
    store.db
      .prepare('UPDATE slides SET mpp_x = NULL, mpp_y = NULL, mpp_source = NULL')
      .run();
    const [headerLine] = await exportLines();
    expect(headerLine).toContain(',area_px2,');
  });
});

describe('csvField', () => {
  it('quotes a field holding a comma or a quote', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(1.5)).toBe('1.5');
  });
});
