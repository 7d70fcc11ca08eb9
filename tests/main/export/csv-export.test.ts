import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField, exportCsv } from '../../../src-main/export/csv-export';
import type { ResultStore } from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, seedAnalysis, SMALL_SPEC } from '../store/store-fixtures';
import { saveTriage, seedFinishedAnalysis } from './triage-fixture';

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
      'id,tile_index,region_verdict,centroid_x_px,centroid_y_px,area_um2,type_index,' +
        'type_name,nucleus_probability,nucleus_entropy_nats,type_entropy_nats,' +
        'p_neoplastic,p_inflammatory,p_connective,p_dead,p_epithelial,' +
        'analysis_id,slide_content_id,bundle_id,bundle_version,bundle_sha256',
    );
  });

  it('writes the centroid in level-0 pixels and the type name of each nucleus', async () => {
    const [, first] = await exportLines();
    const fields = first!.split(',');
    const input = syntheticTile(SMALL_SPEC, 0).nuclei[0]!;

    expect(Number(fields[3])).toBeCloseTo(input.centroidBaseX, 2);
    expect(Number(fields[4])).toBeCloseTo(input.centroidBaseY, 2);
    expect(Number(fields[6])).toBe(input.typeIndex);
    expect(fields[7]).toBe(
      store.getAnalysis(analysisId).nucleusClasses[input.typeIndex - 1]!.name,
    );
  });

  it('ends every row with the analysis, the slide content hash and the bundle', async () => {
    const [, ...rows] = await exportLines();
    const analysis = store.getAnalysis(analysisId);
    const slide = store.getSlide(analysis.slideId);
    const expected = [
      String(analysisId),
      slide.contentId,
      analysis.bundle.id,
      analysis.bundle.version,
      analysis.bundle.sha256,
    ].join(',');
    expect(rows.every((row) => row.endsWith(`,${expected}`))).toBe(true);
  });

  it('names the area column in px² when the slide has no calibration', async () => {
    store.db
      .prepare('UPDATE slides SET mpp_x = NULL, mpp_y = NULL, mpp_source = NULL')
      .run();
    const [headerLine] = await exportLines();
    expect(headerLine).toContain(',area_px2,');
  });
});

describe('exportCsv region verdicts', () => {
  it('leaves the verdict empty before the analysis is triaged', async () => {
    const rows = (await exportLines()).slice(1);
    expect(rows.every((line) => line.split(',')[2] === '')).toBe(true);
  });

  it("gives each nucleus the verdict of the 512 px region holding its tile's centre", async () => {
    const triagedId = seedFinishedAnalysis(store);
    saveTriage(store, triagedId);
    const outPath = path.join(dir, 'triaged.csv');
    await exportCsv({ store, analysisId: triagedId, outPath });
    const rows = readFileSync(outPath, 'utf8').trimEnd().split('\n').slice(1);
    const flagged = new Map([
      ['0,0', 'out-of-domain'],
      ['1,0', 'review'],
    ]);
    const centres = new Map(
      store.listTileSummaries(triagedId).map((tile) => {
        const { x, y, width, height } = tile.baseRect;
        return [tile.tileIndex, [x + width / 2, y + height / 2]] as const;
      }),
    );
    const seen = new Set<string>();
    for (const line of rows) {
      const [, tileIndex, verdict] = line.split(',');
      const [x, y] = centres.get(Number(tileIndex))!;
      const cell = `${Math.floor(x! / 512)},${Math.floor(y! / 512)}`;
      expect(verdict).toBe(flagged.get(cell) ?? 'reliable');
      seen.add(verdict!);
    }
    expect([...seen].sort()).toEqual(['out-of-domain', 'reliable', 'review']);
  });
});

describe('csvField', () => {
  it('quotes a field holding a comma or a quote', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(1.5)).toBe('1.5');
  });
});
