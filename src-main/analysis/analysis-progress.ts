/**
 * Progress of one analysis: tiles done out of the total, the recent rate and an
 * estimate of the time left. Consumed by the command-line progress bar and, over a
 * process message, by the desktop app.
 */

/** One progress report; counts include tiles finished by earlier (resumed) runs. */
export interface AnalysisProgress {
  tilesDone: number;
  tilesTotal: number;
  /** Nuclei stored so far by this run. */
  nucleiStored: number;
  /** Tiles per second over the recent window; 0 until two reports exist. */
  tilesPerSecond: number;
  /** Estimated seconds left at the current rate; `null` while the rate is unknown. */
  etaSeconds: number | null;
  elapsedMs: number;
}

/** Receives progress reports; must return quickly (it runs on the pipeline's thread). */
export type ProgressListener = (progress: AnalysisProgress) => void;

const RATE_WINDOW_MS = 10_000;

/** Turns "n tiles committed" events into progress reports with a windowed rate. */
export class ProgressTracker {
  readonly #tilesTotal: number;
  readonly #startMs: number;
  readonly #samples: { atMs: number; tilesDone: number }[] = [];
  #tilesDone: number;
  #nucleiStored = 0;

  constructor(options: {
    tilesTotal: number;
    tilesAlreadyDone: number;
    /** Nuclei the already-done tiles stored (a resumed run counts on from them). */
    nucleiAlreadyStored?: number;
    nowMs?: number;
  }) {
    this.#tilesTotal = options.tilesTotal;
    this.#tilesDone = options.tilesAlreadyDone;
    this.#nucleiStored = options.nucleiAlreadyStored ?? 0;
    this.#startMs = options.nowMs ?? performance.now();
    this.#samples.push({ atMs: this.#startMs, tilesDone: this.#tilesDone });
  }

  /** Records a committed batch and returns the report to publish. */
  record(tiles: number, nuclei: number, nowMs = performance.now()): AnalysisProgress {
    this.#tilesDone += tiles;
    this.#nucleiStored += nuclei;
    this.#samples.push({ atMs: nowMs, tilesDone: this.#tilesDone });
    while (
      this.#samples.length > 2 &&
      nowMs - (this.#samples[1]?.atMs ?? nowMs) > RATE_WINDOW_MS
    ) {
      this.#samples.shift();
    }
    return this.snapshot(nowMs);
  }

  /** The current report without recording anything. */
  snapshot(nowMs = performance.now()): AnalysisProgress {
    const first = this.#samples[0];
    const spanMs = first ? nowMs - first.atMs : 0;
    const spanTiles = first ? this.#tilesDone - first.tilesDone : 0;
    const tilesPerSecond = spanMs > 0 && spanTiles > 0 ? (spanTiles * 1000) / spanMs : 0;
    const tilesLeft = this.#tilesTotal - this.#tilesDone;

    return {
      tilesDone: this.#tilesDone,
      tilesTotal: this.#tilesTotal,
      nucleiStored: this.#nucleiStored,
      tilesPerSecond,
      etaSeconds: tilesPerSecond > 0 ? tilesLeft / tilesPerSecond : null,
      elapsedMs: nowMs - this.#startMs,
    };
  }
}
