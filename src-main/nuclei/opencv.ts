/**
 * Loads OpenCV.js (WebAssembly) once per process and types the part of it the
 * post-processing uses. Every Mat is created through a {@link MatScope} so that a
 * tile's Mats are all freed, even when a step throws: WebAssembly memory is not
 * garbage-collected.
 */
import { createRequire } from 'node:module';
import { AppError } from '../../src-shared/errors';

/** An OpenCV matrix; `data*` are views into WebAssembly memory, valid until `delete()`. */
export interface CvMat {
  rows: number;
  cols: number;
  data: Uint8Array;
  data32F: Float32Array;
  data32S: Int32Array;
  delete(): void;
}

/** A vector of Mats (contours). */
export interface CvMatVector {
  size(): number;
  get(index: number): CvMat;
  delete(): void;
}

/** The subset of the OpenCV.js API the nuclei post-processing relies on. */
export interface OpenCv {
  Mat: new (rows?: number, cols?: number, type?: number) => CvMat;
  MatVector: new () => CvMatVector;
  Size: new (width: number, height: number) => unknown;
  Point: new (x: number, y: number) => unknown;
  CV_8UC1: number;
  CV_32FC1: number;
  CV_32SC1: number;
  MORPH_OPEN: number;
  MORPH_ELLIPSE: number;
  RETR_EXTERNAL: number;
  CHAIN_APPROX_NONE: number;
  BORDER_REFLECT: number;
  Sobel(
    src: CvMat,
    dst: CvMat,
    ddepth: number,
    dx: number,
    dy: number,
    ksize: number,
  ): void;
  GaussianBlur(src: CvMat, dst: CvMat, size: unknown, sigmaX: number): void;
  getStructuringElement(shape: number, size: unknown): CvMat;
  morphologyEx(src: CvMat, dst: CvMat, op: number, kernel: CvMat): void;
  connectedComponents(
    src: CvMat,
    labels: CvMat,
    connectivity: number,
    ltype: number,
  ): number;
  findContours(
    src: CvMat,
    contours: CvMatVector,
    hierarchy: CvMat,
    mode: number,
    method: number,
  ): void;
  approxPolyDP(curve: CvMat, approx: CvMat, epsilon: number, closed: boolean): void;
}

let loading: Promise<{ cv: OpenCv }> | null = null;
const INIT_TIMEOUT_MS = 60_000;
const INIT_POLL_MS = 10;

function isReady(candidate: unknown): candidate is OpenCv {
  return typeof (candidate as { Mat?: unknown } | null)?.Mat === 'function';
}

async function initialise(): Promise<{ cv: OpenCv }> {
  // Loaded with require: an ES import of this CommonJS module may expose its
  // thenable through the namespace object, which then never settles either.
  const cv: unknown = withoutProcessHooks(() =>
    createRequire(import.meta.url)('@techstark/opencv-js'),
  );

  // The Emscripten module is a thenable that resolves to itself: awaiting it, or
  // resolving a promise with it, never settles. Readiness is therefore polled, and
  // the module only ever travels inside a wrapper object.
  const startedMs = Date.now();
  while (!isReady(cv)) {
    if (Date.now() - startedMs > INIT_TIMEOUT_MS) {
      throw new AppError('INTERNAL', 'OpenCV.js did not initialise within 60 s.');
    }
    await new Promise((resolve) => setTimeout(resolve, INIT_POLL_MS));
  }
  return { cv };
}

const HOOKED_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `load` and removes the process handlers it adds. Emscripten's Node glue
 * installs an `unhandledRejection` handler that aborts the WebAssembly runtime and
 * an `uncaughtException` handler that rethrows with the whole minified module as
 * the source line: either would turn an unrelated error in the host process into a
 * crash or a multi-megabyte log line. The process's own handling stays in charge.
 */
function withoutProcessHooks<T>(load: () => T): T {
  const emitter: NodeJS.EventEmitter = process;
  const before = HOOKED_EVENTS.map((event) => new Set(emitter.listeners(event)));
  try {
    return load();
  } finally {
    HOOKED_EVENTS.forEach((event, index) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[index]?.has(listener)) {
          emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      }
    });
  }
}

/**
 * The initialised OpenCV.js module, wrapped (see above) - the first call takes about
 * a second.
 */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  loading ??= initialise().catch((error: unknown) => {
    loading = null;
    throw new AppError('INTERNAL', 'OpenCV.js could not be loaded; reinstall the app.', {
      cause: error,
    });
  });
  return loading;
}

let liveMats = 0;

/** Mats created by the post-processing and not yet freed (tests check it returns to 0). */
export function liveMatCount(): number {
  return liveMats;
}

/** Owns the Mats of one step; `close()` frees them all. */
export class MatScope {
  private readonly owned: { delete(): void }[] = [];

  /** Takes ownership of `mat` and returns it. */
  track<T extends { delete(): void }>(mat: T): T {
    this.owned.push(mat);
    liveMats += 1;
    return mat;
  }

  /** Frees every Mat taken so far. */
  close(): void {
    for (const mat of this.owned.splice(0)) {
      mat.delete();
      liveMats -= 1;
    }
  }
}
