/**
 * Handlers of the two custom protocols (for `protocol.handle`): `app://cellvit/...`
 * serves the built renderer with the CSP header, `cellvit-tile://tiles/...` serves
 * Deep Zoom tiles. Both take a web `Request` and answer a web `Response`, so tests
 * call them directly under Node.
 */
import { securityHeaders } from '../ipc/content-security-policy';
import { describeRouteError } from '../ipc/http-status';
import { readStaticAsset } from '../ipc/static-assets';
import { parseTilePath, TilePathError } from '../ipc/tile-route';
import type { TileService } from '../ipc/tile-service';
import { APP_HOST, APP_ORIGIN, TILE_SCHEME } from './app-origin';

/** Host of tile URLs; slide ids go in the path, where case is preserved. */
export const TILE_HOST = 'tiles';

/** Prefix of every tile URL in Electron (see `app:info`'s `tiles`). */
export const TILE_URL_PREFIX = `${TILE_SCHEME}://${TILE_HOST}/`;

/** A protocol handler as `protocol.handle` takes it. */
export type ProtocolHandler = (request: Request) => Promise<Response>;

function errorResponse(route: string, error: unknown): Response {
  const { status, message } = describeRouteError(route, error);
  return new Response(message, {
    status,
    headers: {
      ...securityHeaders('electron'),
      'content-type': 'text/plain; charset=utf-8',
    },
  });
}

/** Serves files of `rootDir` (the built renderer) on `app://cellvit/`. */
export function createAppProtocolHandler(rootDir: string): ProtocolHandler {
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') {
      return new Response('Not found', {
        status: 404,
        headers: securityHeaders('electron'),
      });
    }
    try {
      const asset = await readStaticAsset(rootDir, url.pathname);
      return new Response(new Uint8Array(asset.body), {
        status: 200,
        headers: { ...securityHeaders('electron'), 'content-type': asset.contentType },
      });
    } catch (error) {
      return errorResponse('app-asset', error);
    }
  };
}

/** Serves tiles on `cellvit-tile://tiles/<slideId>/<level>/<col>_<row>.jpeg`. */
export function createTileProtocolHandler(tiles: TileService): ProtocolHandler {
  return async (request) => {
    try {
      const url = new URL(request.url);
      if (url.host !== TILE_HOST || url.search !== '') throw new TilePathError();
      const jpeg = await tiles.readTile(
        parseTilePath(url.pathname.slice(1)),
        request.signal,
      );
      return new Response(new Uint8Array(jpeg), {
        status: 200,
        headers: {
          'content-type': 'image/jpeg',
          'cache-control': 'private, max-age=600',
          'x-content-type-options': 'nosniff',
          // The viewer draws tiles with WebGL, which needs CORS-clean images.
          'access-control-allow-origin': APP_ORIGIN,
        },
      });
    } catch (error) {
      return errorResponse('tile', error);
    }
  };
}
