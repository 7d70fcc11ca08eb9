/**
 * Starts the real loopback server over real services (a temp SQLite store, the real
 * slide readers, a real analysis worker) for the server tests, optionally with one
 * small analysis of CMU-1-Small-Region already in the store.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLoopbackInvoke } from '../../../src-shared/loopback-client';
import type { IpcInvoke } from '../../../src-shared/ipc-contract';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { createAppServices } from '../../../src-main/ipc/create-services';
import { createIpcHandlers } from '../../../src-main/ipc/handlers/index';
import { createIpcRouter } from '../../../src-main/ipc/ipc-router';
import type { AppServices } from '../../../src-main/ipc/app-services';
import { forkWorkerLauncher } from '../../../src-main/server/fork-launcher';
import { createRunToken } from '../../../src-main/server/loopback-auth';
import {
  LOOPBACK_TILE_PATH,
  startLoopbackServer,
  type LoopbackServer,
} from '../../../src-main/server/loopback-server';
import { sharedDataPath, sharedSlide } from '../../support/shared-data';

export const APP_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../..',
);

export interface Harness {
  server: LoopbackServer;
  invoke: IpcInvoke;
  services: AppServices;
  baseUrl: string;
  /** Store ids as the contract spells them (`null` without `withAnalysis`). */
  analysisId: string | null;
  slideId: string | null;
  tempDir: string;
  close(): Promise<void>;
}

/** A small analysed region keeps the setup to seconds on a busy CPU. */
const ANALYSED_REGION_BASE = { x: 900, y: 900, width: 300, height: 300 };

async function analyseSmallRegion(dbPath: string) {
  const outcome = await runAnalysis({
    slidePath: sharedSlide('CMU-1-Small-Region.svs'),
    dbPath,
    regionBase: ANALYSED_REGION_BASE,
    intraOpThreads: 1,
  });
  return String(outcome.analysisId);
}

function minimalRenderer(tempDir: string): string {
  const dir = path.join(tempDir, 'renderer');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>CellViT</title>');
  return dir;
}

/** Starts a server; `rendererDir` defaults to a one-page stand-in. */
export async function startHarness(
  options: { withAnalysis?: boolean; rendererDir?: string } = {},
): Promise<Harness> {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'cellvit-loopback-'));
  const dbPath = path.join(tempDir, 'results.db');
  const analysisId = options.withAnalysis ? await analyseSmallRegion(dbPath) : null;
  const token = createRunToken();

  const { services, close } = await createAppServices({
    appVersion: '0.0.0-test',
    dbPath,
    settingsPath: path.join(tempDir, 'settings.json'),
    bundlePath: path.join(APP_ROOT, 'models', 'cellvit-optimus-default'),
    slideRoots: [sharedDataPath('slides')],
    launchWorker: forkWorkerLauncher(
      path.join(APP_ROOT, 'src-main/ipc/analysis-worker.ts'),
      ['--import', 'tsx'],
    ),
    tileUrls: () => ({ urlPrefix: LOOPBACK_TILE_PATH, urlSuffix: `?token=${token}` }),
    offline: { isOutboundBlocked: true, blockedRequestCount: () => 0 },
    chooseSlideFiles: null,
  });
  const server = await startLoopbackServer({
    router: createIpcRouter(createIpcHandlers(services)),
    tiles: services.tiles,
    rendererDir: options.rendererDir ?? minimalRenderer(tempDir),
    token,
  });

  const baseUrl = `http://127.0.0.1:${server.port}`;
  const slide = services.store.listSlides()[0];
  return {
    server,
    services,
    baseUrl,
    tempDir,
    analysisId,
    slideId: slide ? String(slide.id) : null,
    invoke: createLoopbackInvoke({ baseUrl, token, fetch }),
    close: async () => {
      await server.close();
      close();
    },
  };
}
