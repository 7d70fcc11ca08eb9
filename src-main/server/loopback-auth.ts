/**
 * Who may talk to the loopback server: requests must name the server itself in
 * `Host` (no DNS rebinding), come from its own origin when a browser says so, and
 * carry the per-run token in the header, the `token` query or the session cookie
 * that the first authenticated page load sets.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LOOPBACK_TOKEN_HEADER } from '../../src-shared/ipc-contract';

/** The only address the server binds to. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Name of the cookie that carries the token after the first page load. */
export const TOKEN_COOKIE = 'cellvit_token';

/** A fresh 256-bit token, hex. */
export function createRunToken(): string {
  return randomBytes(32).toString('hex');
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

/** Where the token came from, or `null` when no valid token was presented. */
export function presentedToken(
  request: IncomingMessage,
  url: URL,
  expected: string,
): 'header' | 'query' | 'cookie' | null {
  const header = request.headers[LOOPBACK_TOKEN_HEADER];
  if (typeof header === 'string' && tokensEqual(header, expected)) return 'header';
  const query = url.searchParams.get('token');
  if (query !== null && tokensEqual(query, expected)) return 'query';
  const cookie = cookieToken(request.headers.cookie);
  if (cookie !== null && tokensEqual(cookie, expected)) return 'cookie';
  return null;
}

/** Whether `Host` names this server (by IP or `localhost`) on its port. */
export function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `${LOOPBACK_HOST}:${port}` || hostHeader === `localhost:${port}`;
}

/** Whether a browser-sent `Origin` (absent for same-origin GETs) is this server. */
export function isOwnOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true;
  return (
    originHeader === `http://${LOOPBACK_HOST}:${port}` ||
    originHeader === `http://localhost:${port}`
  );
}

/** The `Set-Cookie` value that lets the page's assets and tiles authenticate. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
