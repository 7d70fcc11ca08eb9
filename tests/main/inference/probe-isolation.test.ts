import { describe, expect, it } from 'vitest';
import {
  defaultProbeIsolation,
  probeExecutionProvider,
  resolveExecutionProviders,
} from '../../../src-main/inference/execution-providers';

describe('defaultProbeIsolation', () => {
  it('probes in-process when running inside Electron', () => {
    expect(defaultProbeIsolation({ ...process.versions, electron: '45.6.0' })).toBe(
      'in-process',
    );
  });

  it('probes in a child process when running under plain Node', () => {
    const nodeVersions = Object.fromEntries(
      Object.entries(process.versions).filter(([name]) => name !== 'electron'),
    ) as NodeJS.ProcessVersions;
    expect(defaultProbeIsolation(nodeVersions)).toBe('child-process');
  });
});

describe('probeExecutionProvider in-process', () => {
  it('reports CUDA unavailable with the runtime error when its library is absent', async () => {
    const probe = await probeExecutionProvider('cuda', { isolation: 'in-process' });

    expect(probe.isAvailable).toBe(false);
    expect(probe.reason).toMatch(/^failed: /);
  });

  it('reports the CPU provider available by running the probe model', async () => {
    const probe = await probeExecutionProvider('cpu', { isolation: 'in-process' });

    expect(probe).toEqual({ provider: 'cpu', isAvailable: true, reason: null });
  });

  it('falls back to CPU alone when CUDA and DirectML fail in-process', async () => {
    const providers = await resolveExecutionProviders(['cuda', 'dml', 'cpu'], {
      isolation: 'in-process',
    });

    expect(providers).toEqual(['cpu']);
  });
});
