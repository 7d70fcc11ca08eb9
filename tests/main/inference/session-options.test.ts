import { describe, expect, it } from 'vitest';
import { buildSessionOptions } from '../../../src-main/inference/session-options';

describe('buildSessionOptions', () => {
  it('closes the provider list with CPU when it is missing', () => {
    const options = buildSessionOptions({ executionProviders: ['cuda'] });

    expect(options.executionProviders).toEqual(['cuda', 'cpu']);
  });

  it('tells ONNX Runtime threads not to spin when they may not', () => {
    const options = buildSessionOptions({ intraOpNumThreads: 2, canThreadsSpin: false });

    expect(options.extra).toEqual({ session: { intra_op: { allow_spinning: '0' } } });
  });

  it('leaves spinning to ONNX Runtime by default', () => {
    expect(buildSessionOptions({ intraOpNumThreads: 2 }).extra).toBeUndefined();
  });
});
