/**
 * Brings up the real app for the end-to-end tests: analyses a slide with the real
 * pipeline into a fresh database, builds the renderer, starts the loopback demo
 * server on it and opens Chromium, recording every network attempt the browser
 * makes from the start. Everything is torn down by `close`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from '../../bench/chromium-launch';

export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** One network attempt the browser made, whether or not it was answered. */
export interface RecordedRequest {
  kind: 'request' | 'websocket';
  url: string;
  /** Chromium's error text when the attempt failed (`net::ERR_…`); `null` otherwise. */
  failure: string | null;
}

/** A running app, the page showing it and every network attempt since launch. */
export interface E2eApp {
  page: Page;
  url: string;
  /** Grows for as long as the app runs; covers every page of the browser context. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Records every request of the context (pages and their workers), the ones that fail
 * included, and every WebSocket a page opens.
 */
function recordRequests(context: BrowserContext): RecordedRequest[] {
  const requests: RecordedRequest[] = [];
  const byRequest = new Map<Request, RecordedRequest>();
  const watchPage = (page: Page) =>
    page.on('websocket', (socket) =>
      requests.push({ kind: 'websocket', url: socket.url(), failure: null }),
    );
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  context.on('request', (request) => {
    const recorded: RecordedRequest = {
      kind: 'request',
      url: request.url(),
      failure: null,
    };
    byRequest.set(request, recorded);
    requests.push(recorded);
  });
  context.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    const recorded = byRequest.get(request);
    if (recorded) recorded.failure = failure;
    else requests.push({ kind: 'request', url: request.url(), failure });
  });
  return requests;
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
    const requests = recordRequests(browser.context);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.goto(demo.url);
    const opened = browser;
    return {
      page,
      url: demo.url,
      requests,
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
