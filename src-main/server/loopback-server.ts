/**
 * The loopback transport: the IPC contract, the tiles and the built renderer over
 * HTTP on 127.0.0.1 only, for the offline demo and headless tests. It calls the same
 * router (validation, handlers) and tile service as Electron, and sends the same CSP.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail } from '../../src-shared/errors';
import { LOOPBACK_IPC_PATH } from '../../src-shared/ipc-contract';
import { encodeEnvelope, ENVELOPE_MEDIA_TYPE } from '../../src-shared/ipc-envelope';
import { securityHeaders } from '../ipc/content-security-policy';
import { describeRouteError, httpStatusForCode } from '../ipc/http-status';
import type { IpcRouter } from '../ipc/ipc-router';
import { readStaticAsset } from '../ipc/static-assets';
import { parseTilePath } from '../ipc/tile-route';
import type { TileService } from '../ipc/tile-service';
import { createLogger } from '../logging/logger';
import {
  createRunToken,
  isOwnHost,
  isOwnOrigin,
  LOOPBACK_HOST,
  presentedToken,
  tokenCookie,
} from './loopback-auth';
import { readJsonBody } from './request-body';

const log = createLogger('server');

/** URL path prefix of tiles: `/tiles/<slideId>/<level>/<col>_<row>.jpeg?token=…`. */
export const LOOPBACK_TILE_PATH = '/tiles/';

export interface LoopbackServerOptions {
  router: IpcRouter;
  tiles: TileService;
  /** Folder of the built renderer (`index.html` and assets). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
}

/** A running server. */
export interface LoopbackServer {
  port: number;
  token: string;
  /** The URL to open in a browser, token included. */
  url: string;
  close(): Promise<void>;
}

function send(
  response: ServerResponse,
  status: number,
  body: Uint8Array | string,
  headers: Record<string, string>,
) {
  response.writeHead(status, { ...securityHeaders('loopback'), ...headers });
  response.end(body);
}

function sendResult(response: ServerResponse, status: number, result: unknown): void {
  send(response, status, encodeEnvelope(result), { 'content-type': ENVELOPE_MEDIA_TYPE });
}

async function serveIpc(
  request: IncomingMessage,
  response: ServerResponse,
  router: IpcRouter,
  channel: string,
) {
  if (request.method !== 'POST') {
    sendResult(
      response,
      405,
      fail('INVALID_PAYLOAD', 'IPC calls must be POST requests.'),
    );
    return;
  }
  const body = await readJsonBody(request);
  const result = body.ok
    ? await router.dispatch(channel, body.value, { transport: 'loopback' })
    : body;
  sendResult(response, result.ok ? 200 : httpStatusForCode(result.error.code), result);
}

async function serveTile(response: ServerResponse, tiles: TileService, tilePath: string) {
  const jpeg = await tiles.readTile(parseTilePath(tilePath));
  send(response, 200, jpeg, {
    'content-type': 'image/jpeg',
    'cache-control': 'private, max-age=600',
  });
}

async function serveAsset(
  response: ServerResponse,
  rendererDir: string,
  rawPath: string,
  cookie: string | null,
) {
  // The raw path, not a parsed URL: parsing would fold `..` away and hide the attempt.
  const asset = await readStaticAsset(rendererDir, rawPath);
  send(response, 200, asset.body, {
    'content-type': asset.contentType,
    ...(cookie ? { 'set-cookie': cookie } : {}),
  });
}

interface RouteContext {
  options: LoopbackServerOptions;
  token: string;
  port: number;
}

function refuse(response: ServerResponse, status: number, message: string): void {
  sendResult(response, status, fail('FORBIDDEN_SENDER', message));
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  context: RouteContext,
) {
  const { options, token, port } = context;
  if (!isOwnHost(request.headers.host, port)) {
    refuse(response, 421, 'Refused: the Host header does not name this local server.');
    return;
  }
  if (!isOwnOrigin(request.headers.origin, port)) {
    refuse(response, 403, 'Refused: the request comes from another web origin.');
    return;
  }

  const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}:${port}`);
  const via = presentedToken(request, url, token);
  if (via === null) {
    refuse(
      response,
      401,
      'Refused: open the URL printed by `npm run demo` (it holds the token).',
    );
    return;
  }

  const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
  if (rawPath.startsWith(LOOPBACK_IPC_PATH)) {
    await serveIpc(
      request,
      response,
      options.router,
      rawPath.slice(LOOPBACK_IPC_PATH.length),
    );
  } else if (rawPath.startsWith(LOOPBACK_TILE_PATH)) {
    await serveTile(response, options.tiles, rawPath.slice(LOOPBACK_TILE_PATH.length));
  } else {
    await serveAsset(
      response,
      options.rendererDir,
      rawPath,
      via === 'query' ? tokenCookie(token) : null,
    );
  }
}

function handleRequest(context: RouteContext) {
  return (request: IncomingMessage, response: ServerResponse) => {
    route(request, response, context).catch((error: unknown) => {
      const { status, code, message } = describeRouteError('loopback', error);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendResult(response, status, fail(code, message));
    });
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Bound to the loopback address only: the demo must not be reachable from the LAN.
    server.listen({ host: LOOPBACK_HOST, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the server on 127.0.0.1; the token is new for every run. */
export async function startLoopbackServer(
  options: LoopbackServerOptions,
): Promise<LoopbackServer> {
  const token = options.token ?? createRunToken();
  const context: RouteContext = { options, token, port: 0 };
  const server = createServer(handleRequest(context));
  context.port = await listen(server, options.port ?? 0);
  log.info('server.started', { port: context.port });

  return {
    port: context.port,
    token,
    url: `http://${LOOPBACK_HOST}:${context.port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
