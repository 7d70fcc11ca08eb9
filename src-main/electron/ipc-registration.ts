/**
 * Registers one `ipcMain.handle` per contract channel. Each call first checks the
 * sender (only the app's own top-level frame; others get `FORBIDDEN_SENDER`), then
 * goes through the shared router (payload validation, handler, `Result`).
 */
import { fail, type Result } from '../../src-shared/errors';
import { IPC_CHANNELS } from '../../src-shared/ipc-contract';
import type { IpcRouter } from '../ipc/ipc-router';
import { createLogger } from '../logging/logger';
import { isTrustedSender, type SenderFramePort } from './security-policy';

const log = createLogger('ipc.electron');

/** The part of an `IpcMainInvokeEvent` the sender check reads. */
export interface InvokeEventPort {
  senderFrame: SenderFramePort | null;
}

/** The part of `ipcMain` the registration uses. */
export interface IpcMainPort {
  handle(
    channel: string,
    listener: (event: InvokeEventPort, payload: unknown) => Promise<Result<unknown>>,
  ): void;
}

/** Handles one invoke: sender check, then the router. */
export async function handleInvoke(
  router: IpcRouter,
  call: { channel: string; event: InvokeEventPort; payload: unknown },
): Promise<Result<unknown>> {
  if (!isTrustedSender(call.event.senderFrame)) {
    log.warn('ipc.sender.refused', { channel: call.channel });
    return fail(
      'FORBIDDEN_SENDER',
      'This window is not allowed to call the application.',
    );
  }
  return router.dispatch(call.channel, call.payload, { transport: 'electron' });
}

/** Registers every channel of the contract on `ipcMain`. */
export function registerIpcChannels(ipcMain: IpcMainPort, router: IpcRouter): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event, payload) =>
      handleInvoke(router, { channel, event, payload }),
    );
  }
}
