import { describe, expect, it } from 'vitest';
import { IPC_CHANNEL_NAMES } from '../../src-shared/ipc-channels';
import { IPC_CONTRACT, isIpcChannel } from '../../src-shared/ipc-contract';

describe('ipc-contract', () => {
  it('declares exactly the channels the preload allows', () => {
    expect(Object.keys(IPC_CONTRACT).sort()).toEqual([...IPC_CHANNEL_NAMES].sort());
  });

  it('refuses unknown keys in every request so typos never pass silently', () => {
    for (const channel of IPC_CHANNEL_NAMES) {
      const parsed = IPC_CONTRACT[channel].request.safeParse({ unexpectedKey: 1 });
      expect(parsed.success, channel).toBe(false);
    }
  });

  it('does not treat inherited object keys as channels', () => {
    expect(isIpcChannel('constructor')).toBe(false);
    expect(isIpcChannel('__proto__')).toBe(false);
  });

  it('refuses ids that could escape a tile URL path', () => {
    const request = IPC_CONTRACT['slides:info'].request;
    for (const slideId of ['../1', '1/2', '%2e%2e', '1.jpeg', '']) {
      expect(request.safeParse({ slideId }).success, slideId).toBe(false);
    }
  });
});
