/**
 * The Content-Security-Policy both transports send with every page and asset. Scripts
 * only from the app itself (no inline script, no eval), no plugins, no framing, no
 * forms, and network access only to the app's own origin (plus the tile scheme in
 * Electron): a renderer bug must not become a channel to the outside.
 */

/** Which transport serves the page. */
export type CspTransport = 'electron' | 'loopback';

/** Scheme of the slide tile protocol in Electron. */
export const TILE_SCHEME = 'cellvit-tile';

/** Builds the policy string for a transport. */
export function buildContentSecurityPolicy(transport: CspTransport): string {
  const tiles = transport === 'electron' ? ` ${TILE_SCHEME}:` : '';
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${tiles}`,
    `connect-src 'self'${tiles}`,
    "font-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
  ];
  return directives.join('; ');
}

/** Response headers every page and asset carries, besides the policy itself. */
export function securityHeaders(transport: CspTransport): Record<string, string> {
  return {
    'content-security-policy': buildContentSecurityPolicy(transport),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}
