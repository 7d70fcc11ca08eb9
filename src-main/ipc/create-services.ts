/**
 * Builds the handlers' services for either shell: opens the store, reads the
 * settings, verifies the model bundle once (so `app:info` can say it is tampered
 * before anyone starts an analysis) and sets up slides, tiles and analysis jobs.
 */
import os from 'node:os';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';
import { summariseBundle } from '../../src-shared/bundle-manifest';
import { loadBundle } from '../inference/bundle-loader';
import { createLogger } from '../logging/logger';
import { openSlide } from '../slides/open-slide';
import { openStore } from '../store/store';
import type { AppServices } from './app-services';
import { AnalysisJobs, type WorkerLauncher } from './analysis-jobs';
import { OpenSlides } from './open-slides';
import { SettingsStore } from './settings-store';
import { slideStoreId } from './store-ids';
import { TileService } from './tile-service';

const log = createLogger('ipc.services');

/** What the shell decides; everything else is derived. */
export interface ServicesConfig {
  appVersion: string;
  dbPath: string;
  /** `null` keeps settings in memory only. */
  settingsPath: string | null;
  bundlePath: string;
  slideRoots: readonly string[];
  launchWorker: WorkerLauncher;
  tileUrls: AppServices['tileUrls'];
  offline: AppServices['offline'];
  chooseSlideFiles: AppServices['chooseSlideFiles'];
}

async function readBundle(bundlePath: string): Promise<AppServices['bundle']> {
  try {
    const { manifest } = await loadBundle(bundlePath);
    const summary = summariseBundle(manifest);
    const { id, version, kind, intendedUse, description, nucleusClasses } = summary;
    // The classes travel so the viewer's legend and colours are the bundle's own,
    // the same the region renders and exports use.
    const brief = { id, version, kind, intendedUse, description, nucleusClasses };
    return { brief, error: null };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    log.error('bundle.unavailable', { errorCode: error.code.toLowerCase() });
    return { brief: null, error: { code: error.code, message: error.message } };
  }
}

/**
 * The configured folders that exist, each as configured and as its real path: a user
 * may name a slide through the link the folder was configured with or through its
 * target, and both must pass the lexical check before links are followed.
 */
export function allowedSlideRoots(roots: readonly string[]): string[] {
  const real: string[] = [];
  for (const root of roots) {
    try {
      const resolved = realpathSync(root);
      real.push(resolved);
      if (path.resolve(root) !== resolved) real.push(path.resolve(root));
    } catch (error) {
      // A configured folder that is missing (unmounted share) is skipped, not fatal.
      log.warn('slide-root.missing', {
        errorCode: (error as NodeJS.ErrnoException).code ?? null,
      });
    }
  }
  return real;
}

/**
 * These services answer the viewer from the thread that also handles its other
 * requests (Electron's main process, or the loopback server), so only OpenSlide
 * reads expected to take a few milliseconds - a 256x256 tile from cached JPEG
 * tiles takes about 1.2 ms - block that thread; longer ones go to a worker.
 */
const VIEWER_READS = { blockingReadBudgetMs: 4 } as const;

/** The services and a function that releases them. */
export async function createAppServices(
  config: ServicesConfig,
): Promise<{ services: AppServices; close: () => void }> {
  const store = openStore(config.dbPath);
  const slides = new OpenSlides({
    openSlide: (filePath) => openSlide(filePath, VIEWER_READS),
    lookupPath: (slideId) => store.getSlide(slideStoreId(slideId)).lastPath,
  });
  const bundle = await readBundle(config.bundlePath);
  const services: AppServices = {
    appVersion: config.appVersion,
    store,
    dbPath: config.dbPath,
    bundlePath: config.bundlePath,
    slides,
    openSlide: (filePath) => openSlide(filePath, VIEWER_READS),
    tiles: new TileService({ slides }),
    settings: new SettingsStore(config.settingsPath),
    analyses: new AnalysisJobs(config.launchWorker),
    slideRoots: allowedSlideRoots(config.slideRoots),
    bundle,
    actor: os.userInfo().username,
    tileUrls: config.tileUrls,
    offline: config.offline,
    chooseSlideFiles: config.chooseSlideFiles,
  };
  const close = () => {
    services.analyses.shutdown();
    slides.closeAll();
    store.close();
  };
  return { services, close };
}
