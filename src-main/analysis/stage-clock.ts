/**
 * Busy time per pipeline stage, so a run can say where its time went (the stages
 * overlap, so the shares of busy time need not add up to the wall time).
 */

/** The pipeline's stages, in data-flow order. */
export const STAGES = [
  'read',
  'normalise',
  'inference',
  'postprocess',
  'assess',
  'write',
] as const;

/** One stage of {@link STAGES}. */
export type StageName = (typeof STAGES)[number];

/** Busy milliseconds per stage. */
export type StageTimes = Record<StageName, number>;

/** Accumulates busy time per stage. */
export class StageClock {
  readonly #busyMs: StageTimes = {
    read: 0,
    normalise: 0,
    inference: 0,
    postprocess: 0,
    assess: 0,
    write: 0,
  };

  /** Times a synchronous step. */
  time<T>(stage: StageName, step: () => T): T {
    const startMs = performance.now();
    try {
      return step();
    } finally {
      this.#busyMs[stage] += performance.now() - startMs;
    }
  }

  /** Times an asynchronous step (wall time from start to settle). */
  async timeAsync<T>(stage: StageName, step: () => Promise<T>): Promise<T> {
    const startMs = performance.now();
    try {
      return await step();
    } finally {
      this.#busyMs[stage] += performance.now() - startMs;
    }
  }

  /** Adds time measured elsewhere (e.g. inside a worker thread). */
  add(stage: StageName, durationMs: number): void {
    this.#busyMs[stage] += durationMs;
  }

  /** A copy of the totals. */
  totals(): StageTimes {
    return { ...this.#busyMs };
  }
}
