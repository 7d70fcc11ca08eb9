/**
 * What the IPC handlers need, gathered in one object built by the shell (Electron or
 * the loopback server). Handlers reach disk, slides and the pipeline only through it.
 */
import type { AppErrorInfo } from '../../src-shared/errors';
import type { BundleBrief } from '../../src-shared/ipc-result-schemas';
import type { ResultStore } from '../store/store';
import type { AnalysisJobs } from './analysis-jobs';
import type { OpenSlides, SlideOpener } from './open-slides';
import type { SettingsStore } from './settings-store';
import type { TileService } from './tile-service';

/** How tile URLs are formed for the transport: `${urlPrefix}<path>${urlSuffix}`. */
export interface TileUrlForm {
  urlPrefix: string;
  urlSuffix: string;
}

/** Everything the handlers use. */
export interface AppServices {
  appVersion: string;
  store: ResultStore;
  /** The database file (analysis workers open their own connection to it). */
  dbPath: string;
  /** Bundle folder for new analyses; `null` uses the embedded default. */
  bundlePath: string | null;
  slides: OpenSlides;
  openSlide: SlideOpener;
  tiles: TileService;
  settings: SettingsStore;
  analyses: AnalysisJobs;
  /** Folders the renderer may name slides in (resolved, real paths). */
  slideRoots: readonly string[];
  /** The model bundle new analyses use, or why none could be loaded. */
  bundle: { brief: BundleBrief | null; error: AppErrorInfo | null };
  /** The OS user, recorded as reviewer and audit actor; never taken from the renderer. */
  actor: string;
  tileUrls: (transport: 'electron' | 'loopback') => TileUrlForm;
  offline: { isOutboundBlocked: boolean; blockedRequestCount: () => number };
  /** The native file dialog (Electron only); `null` on the loopback transport. */
  chooseSlideFiles: (() => Promise<string[] | null>) | null;
}
