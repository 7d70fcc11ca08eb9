/**
 * Launches the system Chromium for end-to-end tests and the viewer bench: headless,
 * software GL (SwiftShader, as on workstations without a GPU driver), no network
 * side channels, and a fresh profile per launch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian installs Chromium; overridable for other machines. */
export const CHROMIUM_PATH = process.env.CELLVIT_CHROMIUM ?? '/usr/bin/chromium';

/** A browser context and a way to close it that also removes its profile. */
export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium with the project's fixed flags and a throw-away profile (Playwright
 * passes it as `--user-data-dir`).
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'cellvit-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1600, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-swiftshader',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
