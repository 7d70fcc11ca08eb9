import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AnalysisOutcome } from '../../../src-main/analysis/analysis-types';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { openStore } from '../../../src-main/store/store';
import { readSlideSummary } from '../../../src-main/uncertainty/triage-store';
import { COLD_START_PROFILE, type SiteProfile } from '../../../src-shared/site-profile';
import { describeWithData } from '../../support/shared-data';
import { CMU1_PATH, EPITHELIUM_REGION, temporaryFolder } from './analysis-fixture';

/** A fitted site profile: a sharper type temperature, looser coverage, a later OOD cut. */
const FITTED_PROFILE: SiteProfile = {
  ...COLD_START_PROFILE,
  siteId: 'site-x',
  version: 7,
  isColdStart: false,
  temperatures: { np: null, nt: 1, organ: null },
  oodQuantile: 'q99',
  alpha: 0.3,
  gridCellSizeMicrons: 64,
};

interface StoredRun {
  siteProfileVersion: string | null;
  isColdStart: number | null;
  oodTileCount: number;
  ntEntropySum: number;
}

function readStoredRun(dbPath: string, analysisId: number): StoredRun {
  const store = openStore(dbPath);
  try {
    const analysis = store.db
      .prepare(
        `SELECT site_profile_version AS siteProfileVersion,
           site_profile_is_cold_start AS isColdStart FROM analyses WHERE id = ?`,
      )
      .get(analysisId) as Pick<StoredRun, 'siteProfileVersion' | 'isColdStart'>;
    const tiles = store.db
      .prepare(
        `SELECT SUM(is_ood) AS oodTileCount, SUM(nt_entropy_mean) AS ntEntropySum
         FROM tile_uncertainty WHERE analysis_id = ?`,
      )
      .get(analysisId) as Pick<StoredRun, 'oodTileCount' | 'ntEntropySum'>;
    return { ...analysis, ...tiles };
  } finally {
    store.close();
  }
}

function readSettings(dbPath: string, analysisId: number) {
  const store = openStore(dbPath);
  try {
    return readSlideSummary(store.db, analysisId)!.settings;
  } finally {
    store.close();
  }
}

describeWithData('prepareAnalysis with a site profile', () => {
  const temp = temporaryFolder();
  const profilePath = path.join(temp.folder, 'site-x.json');
  const region = {
    slidePath: CMU1_PATH,
    dbPath: temp.dbPath,
    regionBase: EPITHELIUM_REGION,
  };
  let coldStart: AnalysisOutcome;
  let fitted: AnalysisOutcome;

  beforeAll(async () => {
    writeFileSync(profilePath, JSON.stringify(FITTED_PROFILE));
    coldStart = await runAnalysis(region);
    fitted = await runAnalysis({ ...region, siteProfilePath: profilePath });
  }, 600_000);

  afterAll(() => temp.cleanup());

  it('starts another analysis when the profile differs from the finished one', () => {
    expect(fitted.end).toBe('done');
    expect(fitted.analysisId).not.toBe(coldStart.analysisId);
  });

  it('records the profile version and cold start false when a fitted profile is given', () => {
    const stored = readStoredRun(temp.dbPath, fitted.analysisId);
    expect(stored.siteProfileVersion).toBe('site-x@7');
    expect(stored.isColdStart).toBe(0);
  });

  it('records the cold-start profile when no profile is given', () => {
    const stored = readStoredRun(temp.dbPath, coldStart.analysisId);
    expect(stored.siteProfileVersion).toBe('default@1');
    expect(stored.isColdStart).toBe(1);
  });

  it('stores other type entropies when the profile sets the nt temperature', () => {
    const cold = readStoredRun(temp.dbPath, coldStart.analysisId);
    const site = readStoredRun(temp.dbPath, fitted.analysisId);
    // A temperature of 1 instead of the bundle's 4.6 sharpens every type distribution.
    expect(site.ntEntropySum).toBeLessThan(cold.ntEntropySum);
  });

  it('flags fewer tiles out-of-domain when the profile moves the OOD cut to q99', () => {
    const cold = readStoredRun(temp.dbPath, coldStart.analysisId);
    const site = readStoredRun(temp.dbPath, fitted.analysisId);
    expect(cold.oodTileCount).toBeGreaterThan(site.oodTileCount);
  });

  it('builds prediction sets from another conformal quantile when alpha differs', () => {
    // The embedded bundle has one nucleus class, so every set holds it; the quantile
    // that bounds the sets is what alpha changes.
    const cold = readSettings(temp.dbPath, coldStart.analysisId);
    const site = readSettings(temp.dbPath, fitted.analysisId);
    expect(site.alpha).toBe(0.3);
    expect(site.conformalQuantile).not.toBe(cold.conformalQuantile);
  });

  it('triages with the profile values when a fitted profile is given', () => {
    expect(readSettings(temp.dbPath, fitted.analysisId)).toMatchObject({
      profileSiteId: 'site-x',
      profileVersion: 7,
      isColdStart: false,
      temperatures: { nt: 1 },
      temperatureSource: { nt: 'profile', np: 'bundle' },
      oodThresholdSource: 'profile-quantile',
      gridCellSizeMicrons: 64,
    });
  });

  it('reuses the fitted analysis when run again with the same profile', async () => {
    const again = await runAnalysis({ ...region, siteProfilePath: profilePath });
    expect(again.end).toBe('already-done');
    expect(again.analysisId).toBe(fitted.analysisId);
  });
});

describeWithData('prepareAnalysis refusals', () => {
  const temp = temporaryFolder();
  const region = {
    slidePath: CMU1_PATH,
    dbPath: temp.dbPath,
    regionBase: EPITHELIUM_REGION,
  };
  afterAll(() => temp.cleanup());

  function countSlides(): number {
    const store = openStore(temp.dbPath);
    const count = store.listSlides().length;
    store.close();
    return count;
  }

  it('refuses a profile with a bad field and names the field when it fails the schema', async () => {
    const profilePath = path.join(temp.folder, 'bad-field.json');
    const bad = { ...FITTED_PROFILE, temperatures: { np: null, nt: -2, organ: null } };
    writeFileSync(profilePath, JSON.stringify(bad));

    const run = runAnalysis({ ...region, siteProfilePath: profilePath });
    await expect(run).rejects.toMatchObject({
      code: 'SITE_PROFILE_INVALID',
      message: expect.stringContaining('temperatures.nt'),
    });
    expect(countSlides()).toBe(0);
  });

  it('refuses a profile that is not JSON before storing anything', async () => {
    const profilePath = path.join(temp.folder, 'not-json.json');
    writeFileSync(profilePath, '{ "siteId": ');

    const run = runAnalysis({ ...region, siteProfilePath: profilePath });
    await expect(run).rejects.toMatchObject({
      code: 'SITE_PROFILE_INVALID',
      message: expect.stringContaining('not valid JSON'),
    });
    expect(countSlides()).toBe(0);
  });

  it('refuses a profile file that does not exist', async () => {
    const run = runAnalysis({
      ...region,
      siteProfilePath: path.join(temp.folder, 'missing.json'),
    });
    await expect(run).rejects.toMatchObject({
      code: 'SITE_PROFILE_INVALID',
      message: expect.stringContaining('ENOENT'),
    });
  });

  it('refuses an unknown execution provider and lists the known ones', async () => {
    const run = runAnalysis({ ...region, executionProviders: ['tpu', 'cpu'] });
    await expect(run).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('cuda, dml, coreml, cpu'),
    });
    expect(countSlides()).toBe(0);
  });
});
