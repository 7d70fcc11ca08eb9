import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors';
import { IPC_CHANNEL_NAMES } from '../../../src-shared/ipc-channels';
import {
  registerIpcChannels,
  type InvokeEventPort,
  type IpcMainPort,
} from '../../../src-main/electron/ipc-registration';
import type { IpcRouter } from '../../../src-main/ipc/ipc-router';

type Listener = (event: InvokeEventPort, payload: unknown) => Promise<Result<unknown>>;

function register() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainPort = {
    handle: (channel, listener) => void listeners.set(channel, listener),
  };
  const calls: string[] = [];
  const router: IpcRouter = {
    dispatch: async (channel) => {
      calls.push(String(channel));
      return { ok: true, value: null };
    },
  };
  registerIpcChannels(ipcMain, router);
  return { listeners, calls };
}

const appFrame = { senderFrame: { url: 'app://cellvit/index.html', parent: null } };

describe('registerIpcChannels', () => {
  it('registers exactly the channels of the contract', () => {
    const { listeners } = register();
    expect([...listeners.keys()].sort()).toEqual([...IPC_CHANNEL_NAMES].sort());
  });

  it("routes calls from the app's own frame", async () => {
    const { listeners, calls } = register();
    const result = await listeners.get('slides:list')?.(appFrame, {});
    expect(result?.ok).toBe(true);
    expect(calls).toEqual(['slides:list']);
  });

  it('answers FORBIDDEN_SENDER to another origin without routing the call', async () => {
    const { listeners, calls } = register();
    const event = { senderFrame: { url: 'https://example.org/', parent: null } };
    const result = await listeners.get('slides:add')?.(event, { paths: ['/etc/passwd'] });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(calls).toEqual([]);
  });

  it('answers FORBIDDEN_SENDER to an iframe of the app', async () => {
    const { listeners } = register();
    const event = { senderFrame: { url: 'app://cellvit/frame.html', parent: {} } };
    const result = await listeners.get('settings:set')?.(event, { showLabelImage: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('answers FORBIDDEN_SENDER when the frame is gone', async () => {
    const { listeners } = register();
    const result = await listeners.get('app:info')?.({ senderFrame: null }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
