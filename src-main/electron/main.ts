/**
 * The Electron main process: wires the security policy, the custom protocols, the IPC
 * channels and the analysis workers to the real Electron objects. All decisions live
 * in the modules it imports, which are tested under Node; this file only connects them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  utilityProcess,
} from 'electron';
import { createAppServices } from '../ipc/create-services';
import { createIpcHandlers } from '../ipc/handlers/index';
import { createIpcRouter } from '../ipc/ipc-router';
import { createLogger } from '../logging/logger';
import { defaultDatabasePath } from '../store/default-path';
import { APP_SCHEME, PRIVILEGED_SCHEMES, TILE_SCHEME } from './app-origin';
import { registerIpcChannels } from './ipc-registration';
import {
  createAppProtocolHandler,
  createTileProtocolHandler,
  TILE_URL_PREFIX,
} from './protocols';
import { guardWebContents, hardenSession } from './security-policy';
import { utilityWorkerLauncher } from './utility-launcher';
import { mainWindowOptions, openAppPage } from './window';

const log = createLogger('electron');
const mainDir = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(mainDir, '..', '..');
// Packaged: models and vendor libraries sit in resources/, outside the ASAR.
const resourcesDir = app.isPackaged ? process.resourcesPath : path.resolve(distDir, '..');

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map((entry) => ({ ...entry })));
app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

let blockedRequestCount = 0;

async function chooseSlideFiles(): Promise<string[] | null> {
  const result = await dialog.showOpenDialog({
    title: 'Add slides',
    properties: ['openFile', 'multiSelections'],
    filters: [
      {
        name: 'Slides',
        extensions: ['svs', 'tif', 'tiff', 'ndpi', 'mrxs', 'scn', 'bif', 'dcm', 'vms'],
      },
    ],
  });
  return result.canceled ? null : result.filePaths;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, () => {
    blockedRequestCount += 1;
    log.warn('network.request.blocked', { blockedRequestCount });
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

  const userData = app.getPath('userData');
  const { services, close } = await createAppServices({
    appVersion: app.getVersion(),
    dbPath: defaultDatabasePath(),
    settingsPath: path.join(userData, 'settings.json'),
    bundlePath: path.join(resourcesDir, 'models', 'cellvit-optimus-default'),
    slideRoots: [
      app.getPath('home'),
      ...(process.env.CELLVIT_SLIDE_ROOTS ?? '').split(path.delimiter).filter(Boolean),
    ],
    launchWorker: utilityWorkerLauncher(
      utilityProcess,
      path.join(distDir, 'main', 'analysis-worker.js'),
    ),
    tileUrls: () => ({ urlPrefix: TILE_URL_PREFIX, urlSuffix: '' }),
    offline: { isOutboundBlocked: true, blockedRequestCount: () => blockedRequestCount },
    chooseSlideFiles,
  });
  app.on('will-quit', close);

  protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(distDir, 'renderer')));
  protocol.handle(TILE_SCHEME, createTileProtocolHandler(services.tiles));
  registerIpcChannels(ipcMain, createIpcRouter(createIpcHandlers(services)));

  const window = new BrowserWindow(mainWindowOptions(path.join(mainDir, 'preload.cjs')));
  await openAppPage(window);
  log.info('app.started', { version: app.getVersion(), isPackaged: app.isPackaged });
}

app.on('window-all-closed', () => app.quit());
app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    log.error('app.start.failed', {
      errorName: error instanceof Error ? error.name : typeof error,
    });
    dialog.showErrorBox(
      'CellViT-Optimus could not start',
      error instanceof Error ? error.message : String(error),
    );
    app.quit();
  });
