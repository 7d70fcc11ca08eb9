import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reopenAnalysis } from '../../../src-main/store/analyses-repo';
import { readClaim, type Claimant } from '../../../src-main/store/analysis-claims';
import { openStore, type ResultStore } from '../../../src-main/store/index';
import type { AnalysisInput } from '../../../src-main/store/store-types';
import {
  syntheticClasses,
  syntheticTile,
} from '../../../src-main/store/synthetic-results';
import { makeStore, SMALL_SPEC, TEST_BUNDLE } from './store-fixtures';

const RACER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'claim-racer.ts');
const HOST = hostname();
const START = new Date('2025-03-01T10:00:00.000Z');
const THREE_MINUTES_MS = 3 * 60_000;

let store: ResultStore;
let dbPath: string;
let cleanup: () => void;
let input: AnalysisInput;
const others: ResultStore[] = [];

beforeEach(() => {
  ({ store, dbPath, cleanup } = makeStore({ now: () => START }));
  const slide = store.upsertSlide({
    contentId: 'd'.repeat(64),
    path: '/slides/claims.svs',
    format: 'aperio-svs',
    widthPx: SMALL_SPEC.tileColumns * SMALL_SPEC.tileSizePx,
    heightPx: SMALL_SPEC.tileRows * SMALL_SPEC.tileSizePx,
    mpp: { x: 0.5, y: 0.5, source: 'openslide-property' },
  });
  input = {
    slideId: slide.id,
    bundle: TEST_BUNDLE,
    parameters: { tileSizePx: SMALL_SPEC.tileSizePx, seed: SMALL_SPEC.seed },
    nucleusClasses: syntheticClasses(SMALL_SPEC),
    appVersion: '0.1.0-test',
    siteProfileVersion: 'default@1',
    plannedTileCount: SMALL_SPEC.tileColumns * SMALL_SPEC.tileRows,
  };
});

afterEach(() => {
  for (const other of others.splice(0)) other.close();
  cleanup();
});

/** A second connection to the database, on behalf of `claimant`, at `now`. */
function openAs(claimant: Claimant, now: Date = START): ResultStore {
  const other = openStore(dbPath, { claimant, now: () => now });
  others.push(other);
  return other;
}

/** The pid of a process that has exited (and been reaped). */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

const tiles = (indices: number[]) => indices.map((i) => syntheticTile(SMALL_SPEC, i));

describe('ResultStore.startAnalysisRun', () => {
  it('creates an analysis and claims it for this process when none matches', () => {
    const run = store.startAnalysisRun(input, { canResume: true });

    expect(run.isResumed).toBe(false);
    expect(run.analysis.status).toBe('running');
    expect(readClaim(store.db, run.analysis.id)).toEqual({
      host: HOST,
      pid: process.pid,
      heartbeatAt: START.toISOString(),
    });
  });

  it.each([
    ['cancelled', (id: number) => store.cancelAnalysis(id)],
    ['failed', (id: number) => store.failAnalysis(id, 'STORE_DISK_FULL')],
  ] as const)(
    'reopens a %s analysis with its committed tiles, its end cleared, when run again',
    (_ending, end) => {
      const first = store.startAnalysisRun(input, { canResume: true }).analysis;
      store.commitTileBatch(first.id, tiles([0, 1]));
      end(first.id);

      const run = store.startAnalysisRun(input, { canResume: true });

      expect(run.isResumed).toBe(true);
      expect(run.analysis).toMatchObject({
        id: first.id,
        status: 'running',
        errorCode: null,
        finishedAt: null,
        committedTileCount: 2,
      });
      expect(store.pendingTiles(first.id, [0, 1, 2, 3])).toEqual([2, 3]);
    },
  );

  it('continues the newest unfinished analysis when several match', () => {
    const older = store.startAnalysisRun(input, { canResume: false }).analysis;
    store.cancelAnalysis(older.id);
    const newer = store.startAnalysisRun(input, { canResume: false }).analysis;
    store.failAnalysis(newer.id, 'INFERENCE_FAILED');

    expect(store.startAnalysisRun(input, { canResume: true }).analysis.id).toBe(newer.id);
  });

  it('starts a new analysis when the identical one is done', () => {
    const first = store.startAnalysisRun(input, { canResume: true }).analysis;
    store.finishAnalysis(first.id);

    const run = store.startAnalysisRun(input, { canResume: true });
    expect(run.isResumed).toBe(false);
    expect(run.analysis.id).not.toBe(first.id);
  });

  it('starts a new analysis when resuming is not allowed', () => {
    const first = store.startAnalysisRun(input, { canResume: true }).analysis;
    store.cancelAnalysis(first.id);

    const run = store.startAnalysisRun(input, { canResume: false });
    expect(run.analysis.id).not.toBe(first.id);
    expect(store.getAnalysis(first.id).status).toBe('cancelled');
  });

  it('refuses with ANALYSIS_IN_PROGRESS while another live process holds it', () => {
    const first = store.startAnalysisRun(input, { canResume: true }).analysis;
    const other = openAs({ host: HOST, pid: process.pid + 1 });

    expect(() => other.startAnalysisRun(input, { canResume: true })).toThrow(
      expect.objectContaining({
        code: 'ANALYSIS_IN_PROGRESS',
        message: expect.stringContaining(`by another process (pid ${process.pid})`),
      }),
    );
    expect(readClaim(store.db, first.id)?.pid).toBe(process.pid);
    expect(store.listAnalyses(input.slideId)).toHaveLength(1);
  });

  it('refuses a recent claim made on another computer whatever its pid', () => {
    const remote = openAs({ host: 'other-workstation', pid: exitedPid() });
    remote.startAnalysisRun(input, { canResume: true });

    expect(() => store.startAnalysisRun(input, { canResume: true })).toThrow(
      expect.objectContaining({
        code: 'ANALYSIS_IN_PROGRESS',
        message: expect.stringContaining('on another computer'),
      }),
    );
  });

  it('takes over a claim whose process no longer exists', () => {
    const deadPid = exitedPid();
    const killed = openAs({ host: HOST, pid: deadPid });
    const first = killed.startAnalysisRun(input, { canResume: true }).analysis;

    const run = store.startAnalysisRun(input, { canResume: true });

    expect(run.analysis.id).toBe(first.id);
    expect(readClaim(store.db, first.id)?.pid).toBe(process.pid);
  });

  it('takes over a claim whose heartbeat is older than two minutes', () => {
    const first = store.startAnalysisRun(input, { canResume: true }).analysis;
    const later = new Date(START.getTime() + THREE_MINUTES_MS);
    const other = openAs({ host: HOST, pid: process.pid + 1 }, later);

    const run = other.startAnalysisRun(input, { canResume: true });

    expect(run.analysis.id).toBe(first.id);
    expect(readClaim(store.db, first.id)).toMatchObject({
      pid: process.pid + 1,
      heartbeatAt: later.toISOString(),
    });
  });
});

describe('ResultStore claims while an analysis runs', () => {
  it('moves the heartbeat forward with each committed batch', () => {
    let now = START;
    const clocked = openStore(dbPath, { now: () => now });
    others.push(clocked);
    const analysisId = clocked.startAnalysisRun(input, { canResume: true }).analysis.id;

    now = new Date(START.getTime() + 90_000);
    clocked.commitTileBatch(analysisId, tiles([0]));

    expect(readClaim(store.db, analysisId)?.heartbeatAt).toBe(now.toISOString());
  });

  it('refuses to commit with ANALYSIS_IN_PROGRESS once another process took over', () => {
    const analysisId = store.startAnalysisRun(input, { canResume: true }).analysis.id;
    const later = new Date(START.getTime() + THREE_MINUTES_MS);
    openAs({ host: HOST, pid: process.pid + 1 }, later).startAnalysisRun(input, {
      canResume: true,
    });

    expect(() => store.commitTileBatch(analysisId, tiles([0]))).toThrow(
      expect.objectContaining({
        code: 'ANALYSIS_IN_PROGRESS',
        message: expect.stringContaining('took over this analysis'),
      }),
    );
    expect(store.getAnalysis(analysisId).committedTileCount).toBe(0);
  });

  it('drops the claim when the analysis is finished, cancelled or failed', () => {
    const endings = [
      (id: number) => store.finishAnalysis(id),
      (id: number) => store.cancelAnalysis(id),
      (id: number) => store.failAnalysis(id, 'INFERENCE_FAILED'),
    ];
    for (const end of endings) {
      const analysisId = store.startAnalysisRun(input, { canResume: false }).analysis.id;
      end(analysisId);
      expect(readClaim(store.db, analysisId)).toBeNull();
    }
  });

  it('leaves the status to the process that took over when the first one ends', () => {
    const analysisId = store.startAnalysisRun(input, { canResume: true }).analysis.id;
    const later = new Date(START.getTime() + THREE_MINUTES_MS);
    openAs({ host: HOST, pid: process.pid + 1 }, later).startAnalysisRun(input, {
      canResume: true,
    });

    expect(() => store.cancelAnalysis(analysisId)).toThrow(
      expect.objectContaining({ code: 'ANALYSIS_IN_PROGRESS' }),
    );
    expect(store.getAnalysis(analysisId).status).toBe('running');
    expect(readClaim(store.db, analysisId)?.pid).toBe(process.pid + 1);
  });

  it('releases only its own claim', () => {
    const analysisId = store.startAnalysisRun(input, { canResume: true }).analysis.id;
    openAs({ host: HOST, pid: process.pid + 1 }).releaseAnalysisClaim(analysisId);
    expect(readClaim(store.db, analysisId)?.pid).toBe(process.pid);

    store.releaseAnalysisClaim(analysisId);
    expect(readClaim(store.db, analysisId)).toBeNull();
  });
});

/** A racer child on `racerDbPath`; `nextLine` reads its reports (`''` once it ended). */
function startRacer(racerDbPath: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', RACER, racerDbPath], {
    env: { ...process.env, CELLVIT_LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => ((await lines.next()).value as string | undefined) ?? '';
  return { child, nextLine, exited: once(child, 'exit') };
}

describe('ResultStore.startAnalysisRun in several processes at once', () => {
  it('lets exactly one of them claim the analysis and refuses the others', async () => {
    const racers = [0, 1, 2].map(() => startRacer(dbPath));
    expect(await Promise.all(racers.map((racer) => racer.nextLine()))).toEqual(
      racers.map(() => 'ready'),
    );
    const startMs = Date.now() + 200;
    for (const racer of racers) racer.child.stdin.write(`go ${startMs}\n`);
    const reports = await Promise.all(racers.map((racer) => racer.nextLine()));
    for (const racer of racers) racer.child.stdin.end();
    await Promise.all(racers.map((racer) => racer.exited));

    expect(reports.filter((report) => report.startsWith('claimed'))).toHaveLength(1);
    expect(
      reports.filter((report) => report === 'refused ANALYSIS_IN_PROGRESS'),
    ).toHaveLength(2);
  }, 60_000);
});

describe('reopenAnalysis', () => {
  it('refuses to reopen an analysis that is done', () => {
    const analysisId = store.startAnalysisRun(input, { canResume: true }).analysis.id;
    store.finishAnalysis(analysisId);

    expect(() => reopenAnalysis(store.db, analysisId)).toThrow(
      /Analysis \d+ is already done; it cannot be reopened/,
    );
  });
});
