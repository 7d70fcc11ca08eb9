import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors';
import { createIpcRouter, type IpcHandlers } from '../../../src-main/ipc/ipc-router';

function routerWith(partial: Partial<IpcHandlers>) {
  return createIpcRouter(partial as IpcHandlers);
}

const context = { transport: 'loopback' as const };

describe('ipc-router', () => {
  it('passes the validated request, defaults filled in, to the handler', async () => {
    const router = routerWith({
      'slides:thumbnail': (request) => {
        expect(request.maxEdgePx).toBe(512);
        return {
          image: new ArrayBuffer(1),
          mimeType: 'image/jpeg',
          widthPx: 1,
          heightPx: 1,
        };
      },
    });
    const result = await router.dispatch('slides:thumbnail', { slideId: '7' }, context);
    expect(result.ok).toBe(true);
  });

  it('answers INVALID_PAYLOAD and does not call the handler when the request is malformed', async () => {
    let calls = 0;
    const router = routerWith({
      'slides:info': () => {
        calls += 1;
        throw new Error('unreachable');
      },
    });
    const result = await router.dispatch('slides:info', { slideId: 42 }, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(calls).toBe(0);
  });

  it('answers INVALID_PAYLOAD for a channel outside the contract', async () => {
    const result = await routerWith({}).dispatch('fs:readFile', {}, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('turns a domain error into its code and message', async () => {
    const router = routerWith({
      'slides:list': () => {
        throw new AppError('STORE_LOCKED', 'Another program holds the database.');
      },
    });
    const result = await router.dispatch('slides:list', {}, context);
    expect(result).toEqual({
      ok: false,
      error: { code: 'STORE_LOCKED', message: 'Another program holds the database.' },
    });
  });

  it('hides the text of an unexpected error behind INTERNAL', async () => {
    const router = routerWith({
      'slides:list': () => {
        throw new Error('/home/dr-x/patient-123.svs exploded');
      },
    });
    const result = await router.dispatch('slides:list', {}, context);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.message).not.toContain('patient-123');
    }
  });
});
