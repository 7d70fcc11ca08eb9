import { describe, expect, it } from 'vitest';
import {
  probeExecutionProvider,
  resolveExecutionProviders,
} from '../../../src-main/inference/execution-providers';

describe('probeExecutionProvider', () => {
  it('reports CUDA unavailable without crashing when its library is absent', async () => {
    const probe = await probeExecutionProvider('cuda');

    expect(probe.isAvailable).toBe(false);
    expect(probe.reason).toMatch(/exited with|stopped by/);
    // Said in words: the runtime's own line names the library by a path the log hides.
    expect(probe.reason).toMatch(/the provider's libraries could not be loaded/);
  });

  it('reports the CPU provider available by running the probe model', async () => {
    const probe = await probeExecutionProvider('cpu');

    expect(probe).toEqual({ provider: 'cpu', isAvailable: true, reason: null });
  });
});

describe('resolveExecutionProviders', () => {
  it('falls back to CPU alone when CUDA and DirectML are unavailable', async () => {
    const providers = await resolveExecutionProviders(['cuda', 'dml', 'cpu']);

    expect(providers).toEqual(['cpu']);
  });
});
