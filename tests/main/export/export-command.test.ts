import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main';
import { closeAllSlides, openSlide } from '../../../src-main/slides/open-slide';
import {
  computeSlideContentId,
  openStore,
  type ResultStore,
} from '../../../src-main/store/index';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import {
  buildSlideSummary,
  type SlideSummaryDocument,
} from '../../../src-main/export/summary-export';
import { describeWithData, sharedSlide } from '../../support/shared-data';
import { makeStore, seedAnalysis, SMALL_SPEC } from '../store/store-fixtures';
import { PATIENT_MARKERS, seedTriagedAnalysis } from './triage-fixture';

let store: ResultStore;
let dbPath: string;
let dir: string;
let cleanup: () => void;

beforeEach(() => ({ store, dbPath, dir, cleanup } = makeStore()));
afterEach(() => cleanup());

async function cli(args: string[], moreArgs: string[] = []) {
  const output = { stdout: '', stderr: '' };
  const status = await runCli([...args, ...moreArgs], {
    stdout: (text) => (output.stdout += text),
    stderr: (text) => (output.stderr += text),
  });
  return { status, ...output };
}

function finishedAnalysis(
  contentId?: string,
  extraParameters: Record<string, unknown> = {},
): number {
  const { analysis } = seedAnalysis(store, SMALL_SPEC, contentId, extraParameters);
  store.commitTileBatch(analysis.id, [syntheticTile(SMALL_SPEC, 0)]);
  store.finishAnalysis(analysis.id);
  return analysis.id;
}

describe('cli export output path', () => {
  function exportTo(outPath: string, format = 'csv', extra: string[] = []) {
    const analysisId = finishedAnalysis();
    store.close();
    const args = ['export', String(analysisId), '--format', format, '--db', dbPath];
    return cli([...args, '--out', outPath, ...extra]);
  }

  it('refuses an --out that does not end as the format does, and writes nothing', async () => {
    const slideCopy = path.join(dir, 'S24-0001.svs');
    writeFileSync(slideCopy, 'slide bytes');

    const result = await exportTo(slideCopy);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^EXPORT_FAILED: --out must end in \.csv for --format csv/,
    );
    expect(readFileSync(slideCopy, 'utf8')).toBe('slide bytes');
  });

  it('says so when --out names a folder', async () => {
    const result = await exportTo(dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^EXPORT_FAILED: --out names a folder/);
  });

  it('refuses to replace an existing file unless --force is given', async () => {
    const outPath = path.join(dir, 'earlier.json');
    writeFileSync(outPath, 'an earlier document');

    const refused = await exportTo(outPath, 'summary');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('pass --force to replace it');
    expect(readFileSync(outPath, 'utf8')).toBe('an earlier document');

    store = openStore(dbPath);
    const forced = await exportTo(outPath, 'summary', ['--force']);
    expect(forced.status).toBe(0);
    const written = readFileSync(outPath, 'utf8');
    expect(written).not.toBe('an earlier document');
    expect(typeof JSON.parse(written)).toBe('object');
  });
});

describe('cli export', () => {
  it('writes the CSV of an analysis given by id', async () => {
    const analysisId = finishedAnalysis();
    const outPath = path.join(dir, 'nuclei.csv');
    store.close();

    const result = await cli([
      'export',
      String(analysisId),
      '--format',
      'csv',
      '--db',
      dbPath,
      '--out',
      outPath,
    ]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      analysisId,
      written: SMALL_SPEC.nucleiPerTile,
    });
    expect(readFileSync(outPath, 'utf8').split('\n')[0]).toMatch(/^id,tile_index/);
  });

  it('refuses a --db path with no database instead of creating an empty one', async () => {
    const missingDb = path.join(dir, 'mistyped.db');
    const result = await cli([
      'export',
      '1',
      '--format',
      'csv',
      '--db',
      missingDb,
      '--out',
      path.join(dir, 'x.csv'),
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/STORE_NOT_FOUND: There is no results database/);
    expect(readdirSync(dir)).not.toContain('mistyped.db');
  });

  it('records each export in the audit log', async () => {
    const analysisId = finishedAnalysis();
    store.close();
    await cli([
      'export',
      String(analysisId),
      '--format',
      'csv',
      '--db',
      dbPath,
      '--out',
      path.join(dir, 'a.csv'),
    ]);

    const reopened = openStore(dbPath);
    const [entry] = reopened.reviews.listAudit();
    reopened.close();
    expect(entry).toMatchObject({
      action: 'export.written',
      analysisId,
      details: { format: 'csv' },
    });
  });

  it('writes a slide summary that parses and matches the stored triage', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const expected = buildSlideSummary(store, analysisId);
    const outPath = path.join(dir, 'summary.json');
    store.close();

    const result = await cli(
      ['export', String(analysisId), '--format', 'summary', '--db', dbPath],
      ['--out', outPath],
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'summary', written: 2 });
    const summary = JSON.parse(readFileSync(outPath, 'utf8')) as SlideSummaryDocument;
    expect(summary).toEqual(expected);
    expect(summary.triage!.verdict).toBe('out-of-domain');
  });

  it('names the summary file after the slide content id when no output is given', async () => {
    const analysisId = seedTriagedAnalysis(store);
    store.close();
    const previousDir = process.cwd();
    process.chdir(dir);
    const args = ['export', String(analysisId), '--format', 'summary', '--db', dbPath];
    let again: Awaited<ReturnType<typeof cli>>;
    try {
      await cli(args);
      again = await cli(args);
    } finally {
      process.chdir(previousDir);
    }
    const name = `slide-cccccccccccc-analysis-${analysisId}.summary.json`;
    expect(readdirSync(dir)).toContain(name);
    // A second export to the default name says which name it is and how to choose one.
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`A file named ${name} (the default name) already`);
    expect(again.stderr).toContain('Pass --out to choose a name, or --force');
  });

  it('refuses --reliable-cells with a format that has no verdict cells', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const outPath = path.join(dir, 'cells.csv');
    store.close();

    const result = await cli(
      ['export', String(analysisId), '--format', 'csv', '--db', dbPath],
      ['--out', outPath, '--reliable-cells'],
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^INVALID_OPTION: --reliable-cells adds verdict cells/);
    expect(existsSync(outPath)).toBe(false);
  });

  it('writes ROI annotations and no slide path into the GeoJSON', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const outPath = path.join(dir, 'triage.geojson');
    store.close();

    await cli(
      ['export', String(analysisId), '--format', 'geojson', '--db', dbPath],
      ['--out', outPath],
    );
    const text = readFileSync(outPath, 'utf8');
    const collection = JSON.parse(text) as {
      features: Array<{ properties: { objectType: string; name?: string } }>;
    };
    const names = collection.features
      .filter((f) => f.properties.objectType === 'annotation')
      .map((f) => f.properties.name);
    expect(names).toEqual(expect.arrayContaining(['ROI 1 (critical)', 'ROI 2 (low)']));
    for (const marker of PATIENT_MARKERS) expect(text).not.toContain(marker);
  });

  it('writes the Reliable verdict cells too when asked for them', async () => {
    const analysisId = seedTriagedAnalysis(store);
    const outPath = path.join(dir, 'all-cells.geojson');
    store.close();

    await cli(
      ['export', String(analysisId), '--format', 'geojson', '--db', dbPath],
      ['--out', outPath, '--reliable-cells'],
    );
    const collection = JSON.parse(readFileSync(outPath, 'utf8')) as {
      features: Array<{ properties: { classification?: { name: string } } }>;
    };
    const reliable = collection.features.filter(
      (f) => f.properties.classification?.name === 'Reliable',
    );
    expect(reliable).toHaveLength(7);
  });

  it('fails with ANALYSIS_NOT_FOUND for an analysis id that does not exist', async () => {
    store.close();
    const result = await cli(['export', '42', '--format', 'geojson', '--db', dbPath]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^ANALYSIS_NOT_FOUND: There is no analysis 42 in this/);
  });

  it('rejects an unknown format before touching the database', async () => {
    store.close();
    const result = await cli(['export', '1', '--format', 'xml', '--db', dbPath]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/geojson, csv or summary/);
  });
});

describeWithData('cli export of a real slide file', () => {
  it('finds the latest finished analysis of the slide by its content', async () => {
    const slidePath = sharedSlide('CMU-1-Small-Region.svs');
    const reader = await openSlide(slidePath);
    const contentId = await computeSlideContentId(slidePath, {
      widthPx: reader.info.widthPx,
      heightPx: reader.info.heightPx,
    });
    await closeAllSlides();
    const analysisId = finishedAnalysis(contentId);
    const outPath = path.join(dir, 'cmu.geojson');
    store.close();

    const result = await cli([
      'export',
      slidePath,
      '--format',
      'geojson',
      '--db',
      dbPath,
      '--out',
      outPath,
    ]);
    expect(result.status).toBe(0);
    const collection = JSON.parse(readFileSync(outPath, 'utf8')) as {
      cellvit: { analysisId: number };
    };
    expect(collection.cellvit.analysisId).toBe(analysisId);
    expect(readFileSync(outPath, 'utf8')).not.toContain('CMU-1');
  });

  it('prefers a whole-slide analysis to a newer one of a region', async () => {
    const contentId = await cmuContentId();
    const wholeId = finishedAnalysis(contentId, { regionBase: WHOLE_SLIDE });
    finishedAnalysis(contentId, { regionBase: REGION });
    store.close();

    const summary = await exportSummaryOf(sharedSlide('CMU-1-Small-Region.svs'));
    expect(summary).toMatchObject({ analysisId: wholeId, analysedRegionBase: null });
  });

  it('names the region when the only finished analysis covers part of the slide', async () => {
    const regionId = finishedAnalysis(await cmuContentId(), { regionBase: REGION });
    store.close();

    const summary = await exportSummaryOf(sharedSlide('CMU-1-Small-Region.svs'));
    expect(summary).toMatchObject({ analysisId: regionId, analysedRegionBase: REGION });
  });
});

const REGION = { x: 100, y: 100, width: 300, height: 300 };
/** What a whole-slide analysis records as its region: the seeded slide's rectangle. */
const WHOLE_SLIDE = {
  x: 0,
  y: 0,
  width: SMALL_SPEC.tileColumns * SMALL_SPEC.tileSizePx,
  height: SMALL_SPEC.tileRows * SMALL_SPEC.tileSizePx,
};

async function cmuContentId(): Promise<string> {
  const slidePath = sharedSlide('CMU-1-Small-Region.svs');
  const reader = await openSlide(slidePath);
  const dims = { widthPx: reader.info.widthPx, heightPx: reader.info.heightPx };
  await closeAllSlides();
  return computeSlideContentId(slidePath, dims);
}

async function exportSummaryOf(slidePath: string): Promise<Record<string, unknown>> {
  const outPath = path.join(dir, 'summary.json');
  const args = ['export', slidePath, '--format', 'summary', '--db', dbPath];
  const result = await cli([...args, '--out', outPath]);
  expect(result.status).toBe(0);
  return JSON.parse(readFileSync(outPath, 'utf8')) as Record<string, unknown>;
}
