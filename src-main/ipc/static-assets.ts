/**
 * Serves the built renderer for both transports (Electron's `app://` protocol and the
 * loopback server): maps a URL path to a file inside the asset root and refuses any
 * path that would leave it, plain (`../`), percent-encoded (`%2e%2e`, `%2f`) or
 * absolute.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PathOutsideRootError, resolveWithinRoots } from './path-roots';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

/** A file ready to send. */
export interface StaticAsset {
  body: Buffer;
  contentType: string;
}

function decodeSegments(urlPathname: string): string[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch (error) {
    throw new PathOutsideRootError(`with a malformed escape (${(error as Error).name})`);
  }
  if (decoded.includes('\\') || decoded.includes('\0')) {
    throw new PathOutsideRootError('with a backslash or NUL byte');
  }
  const segments = decoded.replace(/^\/+/, '').split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    throw new PathOutsideRootError('that climbs out of the application folder');
  }
  if (decoded.startsWith('//') || /^[A-Za-z]:/.test(segments[0] ?? '')) {
    throw new PathOutsideRootError('that is absolute');
  }
  return segments.filter((segment) => segment !== '');
}

/**
 * Resolves a URL path to a file under `rootDir`; `/` and unknown extensions-less
 * paths fall back to `index.html` (single-page app routing).
 */
export async function resolveStaticAsset(
  rootDir: string,
  urlPathname: string,
): Promise<string> {
  const segments = decodeSegments(urlPathname);
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const withIndex = path.extname(relative) === '' ? 'index.html' : relative;
  return resolveWithinRoots(path.join(rootDir, withIndex), [rootDir]);
}

/** Reads an asset resolved by {@link resolveStaticAsset}. */
export async function readStaticAsset(
  rootDir: string,
  urlPathname: string,
): Promise<StaticAsset> {
  const filePath = await resolveStaticAsset(rootDir, urlPathname);
  const contentType =
    MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
  return { body: await readFile(filePath), contentType };
}
