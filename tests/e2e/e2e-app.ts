/**
 * Brings up the real app for the end-to-end tests: analyses a slide with the real
 * pipeline into a fresh database, builds the renderer, starts the loopback demo
 * server on it and opens Chromium. Everything is torn down by `close`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from '../../bench/chromium-launch';

export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** A running app and the page showing it. */
export interface E2eApp {
  page: Page;
  url: string;
  close(): Promise<void>;
}

function runTsx(args: string[], timeoutMs: number): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, CELLVIT_LOG_LEVEL: 'warn' },
  });
  if (result.status !== 0) {
    throw new Error(
      `${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`,
    );
  }
}

/** Analyses `slidePath` with the real pipeline (optionally a level-0 region only). */
export function analyseSlide(options: {
  slidePath: string;
  dbPath: string;
  region?: string;
}): void {
  const regionArgs = options.region ? ['--region', options.region] : [];
  runTsx(
    [
      'src-main/cli/main.ts',
      'analyze',
      options.slidePath,
      '--db',
      options.dbPath,
      ...regionArgs,
    ],
    1_200_000,
  );
}

/** Builds the renderer into dist/renderer with the project's vite config. */
export function buildRenderer(): void {
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0)
    throw new Error(`The renderer build failed: ${result.stderr.slice(-2000)}`);
}

/** Starts `npm run demo` on the database; resolves with its printed URL. */
function startDemo(options: {
  dbPath: string;
  slideRoot: string;
}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src-main/server/demo.ts',
      '--db',
      options.dbPath,
      '--slide-root',
      options.slideRoot,
      '--port',
      '0',
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, CELLVIT_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) =>
      reject(new Error(`The demo server exited (${code}): ${output.slice(-2000)}`)),
    );
  });
}

/** Analyses, builds, serves and opens the app on `slidePath`. */
export async function startE2eApp(options: {
  slidePath: string;
  region?: string;
}): Promise<E2eApp> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cellvit-e2e-'));
  const dbPath = path.join(folder, 'results.db');
  analyseSlide({ slidePath: options.slidePath, dbPath, region: options.region });
  buildRenderer();
  const demo = await startDemo({ dbPath, slideRoot: path.dirname(options.slidePath) });
  let browser: LaunchedBrowser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.goto(demo.url);
    const opened = browser;
    return {
      page,
      url: demo.url,
      close: async () => {
        await opened.close();
        demo.child.kill('SIGTERM');
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    demo.child.kill('SIGTERM');
    throw error;
  }
}
