import { readFileSync } from 'node:fs';
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
import { describeWithData, sharedSlide } from '../../support/shared-data';
import { makeStore, seedAnalysis, SMALL_SPEC } from '../store/store-fixtures';

let store: ResultStore;
let dbPath: string;
let dir: string;
let cleanup: () => void;

beforeEach(() => ({ store, dbPath, dir, cleanup } = makeStore()));
afterEach(() => cleanup());

async function cli(args: string[]) {
  const output = { stdout: '', stderr: '' };
  const status = await runCli(args, {
    stdout: (text) => (output.stdout += text),
    stderr: (text) => (output.stderr += text),
  });
  return { status, ...output };
}

function finishedAnalysis(contentId?: string): number {
  const { analysis } = seedAnalysis(store, SMALL_SPEC, contentId);
  store.commitTileBatch(analysis.id, [syntheticTile(SMALL_SPEC, 0)]);
  store.finishAnalysis(analysis.id);
  return analysis.id;
}

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

  it('fails with STORE_NOT_FOUND for an analysis id that does not exist', async () => {
    store.close();
    const result = await cli(['export', '42', '--format', 'geojson', '--db', dbPath]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^STORE_NOT_FOUND: Analysis 42/);
  });

  it('rejects an unknown format before touching the database', async () => {
    store.close();
    const result = await cli(['export', '1', '--format', 'xml', '--db', dbPath]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/geojson or csv/);
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
});
