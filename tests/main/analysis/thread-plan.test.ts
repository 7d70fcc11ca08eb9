import { describe, expect, it } from 'vitest';
import { planThreads } from '../../../src-main/analysis/thread-plan';

describe('planThreads', () => {
  it('gives one ONNX Runtime thread and a finishing thread per core on 2 cores', () => {
    expect(planThreads({}, 2)).toEqual({ intraOpThreads: 1, finishingThreads: 2 });
  });

  it('gives ONNX Runtime a quarter of the cores when tiles finish on worker threads', () => {
    expect(planThreads({}, 16)).toEqual({ intraOpThreads: 4, finishingThreads: 16 });
  });

  it('gives ONNX Runtime every core when tiles finish on the calling thread', () => {
    expect(planThreads({ finishingThreads: 0 }, 8)).toEqual({
      intraOpThreads: 8,
      finishingThreads: 0,
    });
  });

  it('keeps the thread counts the options give', () => {
    expect(planThreads({ intraOpThreads: 3, finishingThreads: 1 }, 8)).toEqual({
      intraOpThreads: 3,
      finishingThreads: 1,
    });
  });
});
