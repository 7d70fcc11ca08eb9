/**
 * Picks how the UI reaches main, once at start-up: the Electron preload bridge
 * (`window.cellvit`) when present, else the loopback HTTP server that served this
 * page, authenticated by the `token` in the page's query string.
 */
import {
  BRIDGE_GLOBAL_NAME,
  type CellvitBridge,
  type IpcInvoke,
} from '../../src-shared/ipc-contract';
import { createLoopbackInvoke } from '../../src-shared/loopback-client';

/** Which transport the UI is using, and its `invoke`. */
export interface Transport {
  kind: 'electron' | 'loopback';
  invoke: IpcInvoke;
}

/** Thrown when neither the bridge nor a loopback token is available. */
export class TransportUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportUnavailableError';
  }
}

function findBridge(scope: object): CellvitBridge | null {
  const candidate: unknown = Reflect.get(scope, BRIDGE_GLOBAL_NAME);
  if (candidate === null || typeof candidate !== 'object') return null;
  const invoke: unknown = Reflect.get(candidate, 'invoke');
  return typeof invoke === 'function' ? (candidate as CellvitBridge) : null;
}

/** Chooses the transport for `scope` (the window) and `pageUrl` (its location). */
export function pickTransport(scope: object, pageUrl: string): Transport {
  const bridge = findBridge(scope);
  if (bridge) return { kind: 'electron', invoke: bridge.invoke };

  const token = new URL(pageUrl).searchParams.get('token');
  if (!token) {
    throw new TransportUnavailableError(
      'This page was opened without its access token. Open the address that ' +
        '"npm run demo" printed, including "?token=…".',
    );
  }
  const invoke = createLoopbackInvoke({
    baseUrl: '',
    token,
    fetch: (url, init) => fetch(url, init),
  });
  return { kind: 'loopback', invoke };
}
