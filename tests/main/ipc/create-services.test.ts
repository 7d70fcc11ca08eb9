import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../../src-main/ipc/create-services';

const BUNDLE_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../models/cellvit-optimus-default',
);
const tempDir = mkdtempSync(path.join(os.tmpdir(), 'cellvit-services-'));

function startServices() {
  return createAppServices({
    appVersion: '0.0.0-test',
    dbPath: path.join(tempDir, 'results.db'),
    settingsPath: null,
    bundlePath: BUNDLE_PATH,
    slideRoots: [],
    launchWorker: () => {
      throw new Error('No analysis runs in this test.');
    },
    tileUrls: () => ({ urlPrefix: '/tiles/', urlSuffix: '' }),
    offline: { isOutboundBlocked: true, blockedRequestCount: () => 0 },
    chooseSlideFiles: null,
  });
}

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('createAppServices', () => {
  it("gives the bundle brief the manifest's nucleus classes when the bundle loads", async () => {
    const manifest = JSON.parse(
      readFileSync(path.join(BUNDLE_PATH, 'manifest.json'), 'utf8'),
    ) as { nucleusClasses: unknown[] };

    const { services, close } = await startServices();
    close();

    expect(services.bundle.error).toBeNull();
    expect(services.bundle.brief?.nucleusClasses).toEqual(manifest.nucleusClasses);
  });
});
