/**
 * The sandboxed preload: exposes `window.cellvit.invoke(channel, request)` for the
 * contract's channels and nothing else (no `ipcRenderer`, no Node). Bundled to
 * CommonJS, it imports only the plain channel list, not the schemas.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { fail } from '../../src-shared/errors';
import { BRIDGE_GLOBAL_NAME, isIpcChannelName } from '../../src-shared/ipc-channels';
import type { CellvitBridge } from '../../src-shared/ipc-contract';

const invoke = ((channel: unknown, request: unknown) => {
  if (!isIpcChannelName(channel)) {
    return Promise.resolve(
      fail('INVALID_PAYLOAD', 'Unknown channel: not part of the IPC contract.'),
    );
  }
  return ipcRenderer.invoke(channel, request);
}) as CellvitBridge['invoke'];

const bridge: CellvitBridge = Object.freeze({ invoke });

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL_NAME, bridge);
