import { describe, expect, it } from 'vitest';
import { planThreads } from '../../../src-main/analysis/thread-plan';

describe('planThreads', () => {
  it('gives one ONNX Runtime thread and one finishing thread on 2 cores', () => {
    expect(planThreads({}, 2)).toEqual({ intraOpThreads: 1, finishingThreads: 1 });
  });

  it('splits the cores evenly when tiles finish on worker threads', () => {
    expect(planThreads({}, 16)).toEqual({ intraOpThreads: 8, finishingThreads: 8 });
    expect(planThreads({}, 5)).toEqual({ intraOpThreads: 2, finishingThreads: 3 });
  });

  it('keeps a finishing thread on a single core', () => {
    expect(planThreads({}, 1)).toEqual({ intraOpThreads: 1, finishingThreads: 1 });
  });

  it('gives the finishing threads the cores ONNX Runtime is not given', () => {
    expect(planThreads({ intraOpThreads: 6 }, 8)).toEqual({
      intraOpThreads: 6,
      finishingThreads: 2,
    });
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
