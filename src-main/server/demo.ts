/**
 * `npm run demo [-- --db path] [--slide-root folder]... [--port n]`: the offline demo
 * without Electron. Builds the renderer if needed, starts the loopback server on
 * 127.0.0.1 and prints the URL (with this run's token) to open in a browser.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices } from '../ipc/create-services';
import { createIpcHandlers } from '../ipc/handlers/index';
import { createIpcRouter } from '../ipc/ipc-router';
import { createLogger } from '../logging/logger';
import { analysisWorkerEntry, findAppRoot } from './app-paths';
import { forkWorkerLauncher } from './fork-launcher';
import { createRunToken } from './loopback-auth';
import { LOOPBACK_TILE_PATH, startLoopbackServer } from './loopback-server';

const log = createLogger('demo');

function readOptions() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      'slide-root': { type: 'string', multiple: true },
      port: { type: 'string' },
      bundle: { type: 'string' },
    },
  });
  const demoDir = path.join(os.tmpdir(), 'cellvit-demo');
  return {
    // The demo never writes to the workstation's clinical database unless told to.
    dbPath: path.resolve(values.db ?? path.join(demoDir, 'results.db')),
    slideRoots: (values['slide-root'] ?? [os.homedir()]).map((root) =>
      path.resolve(root),
    ),
    port: values.port === undefined ? 0 : Number(values.port),
    bundlePath: values.bundle ? path.resolve(values.bundle) : null,
    settingsPath: path.join(
      path.dirname(path.resolve(values.db ?? path.join(demoDir, 'x'))),
      'settings.json',
    ),
  };
}

function buildRendererIfMissing(appRoot: string): void {
  if (existsSync(path.join(appRoot, 'dist', 'renderer', 'index.html'))) return;
  process.stdout.write('Building the app (first run)...\n');
  const built = spawnSync(
    process.execPath,
    [path.join(appRoot, 'scripts', 'build.mjs')],
    {
      cwd: appRoot,
      stdio: 'inherit',
    },
  );
  if (built.status !== 0) throw new Error('The build failed; see the output above.');
}

async function main(): Promise<void> {
  const options = readOptions();
  const appRoot = findAppRoot(import.meta.url);
  buildRendererIfMissing(appRoot);

  const token = createRunToken();
  const worker = analysisWorkerEntry(appRoot, import.meta.url);
  const { services, close } = await createAppServices({
    appVersion: process.env.npm_package_version ?? '0.0.0',
    dbPath: options.dbPath,
    settingsPath: options.settingsPath,
    bundlePath:
      options.bundlePath ?? path.join(appRoot, 'models', 'cellvit-optimus-default'),
    slideRoots: options.slideRoots,
    launchWorker: forkWorkerLauncher(worker.entryPath, worker.execArgv),
    tileUrls: () => ({ urlPrefix: LOOPBACK_TILE_PATH, urlSuffix: `?token=${token}` }),
    offline: { isOutboundBlocked: true, blockedRequestCount: () => 0 },
    chooseSlideFiles: null,
  });

  const server = await startLoopbackServer({
    router: createIpcRouter(createIpcHandlers(services)),
    tiles: services.tiles,
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
    port: options.port,
    token,
  });
  process.stdout.write(
    `CellViT-Optimus demo (offline, this computer only):\n  ${server.url}\n`,
  );

  const stop = () => {
    void server.close().finally(() => {
      close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  log.error('demo.start.failed', {
    errorName: error instanceof Error ? error.name : typeof error,
  });
  process.stderr.write(
    `The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
