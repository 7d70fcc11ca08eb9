/**
 * The viewer's viewport queries on a synthetic slide of about 10^6 nuclei, through
 * the store API and the loopback envelope, decoded as the renderer decodes them:
 * the whole-slide density (fully zoomed out) and the nuclei of a 1280 x 800 view at
 * mid zoom (0.25) and at full resolution.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeEnvelope, encodeEnvelope } from '../src-shared/ipc-envelope';
import type { NucleiViewport } from '../src-shared/ipc-result-schemas';
import { decodeNucleiChunk } from '../src-shared/nuclei-chunk';
import { openStore, type ResultStore } from '../src-main/store/index';
import {
  syntheticClasses,
  syntheticSlideInput,
  syntheticTile,
  type SyntheticSlideSpec,
} from '../src-main/store/synthetic-results';

/** 71 x 71 tiles of 256 px, 200 nuclei each: 1 008 200 nuclei on an 18 176 px square. */
const SPEC: SyntheticSlideSpec = {
  tileSizePx: 256,
  tileColumns: 71,
  tileRows: 71,
  nucleiPerTile: 200,
  typeClassCount: 4,
  verticesPerNucleus: 16,
  seed: 11,
};
const SCREEN = { widthPx: 1280, heightPx: 800 };
const QUERIES = 60;

function fillStore(store: ResultStore): number {
  const slide = store.upsertSlide(
    syntheticSlideInput('viewer-bench', SPEC, { x: 0.25, y: 0.25, source: 'user' }),
  );
  const analysisId = store.createAnalysis({
    slideId: slide.id,
    bundle: { id: 'bench', version: '1.0.0', sha256: '0'.repeat(64) },
    parameters: { bench: 'viewer' },
    nucleusClasses: syntheticClasses(SPEC),
    appVersion: 'bench',
    siteProfileVersion: null,
    plannedTileCount: SPEC.tileColumns * SPEC.tileRows,
  }).id;
  const tileCount = SPEC.tileColumns * SPEC.tileRows;
  for (let first = 0; first < tileCount; first += 64) {
    const batch = Array.from({ length: Math.min(64, tileCount - first) }, (_, k) =>
      syntheticTile(SPEC, first + k),
    );
    store.commitTileBatch(analysisId, batch);
  }
  return analysisId;
}

function toArrayBuffer(view: ArrayBufferView): ArrayBuffer {
  return view.buffer.slice(
    view.byteOffset,
    view.byteOffset + view.byteLength,
  ) as ArrayBuffer;
}

/** What the `nuclei:viewport` handler answers (same steps), built from the store's results. */
function viewportAnswer(
  store: ResultStore,
  analysisId: number,
  view: {
    rect: { x: number; y: number; width: number; height: number };
    isDensity: boolean;
  },
): NucleiViewport {
  if (view.isDensity) {
    const density = store.queryNucleusDensity(analysisId, view.rect);
    return {
      kind: 'density',
      classCount: density.classCount,
      tileCount: density.tileCount,
      tileRectsBase: toArrayBuffer(density.tileRectsBase),
      countsByType: toArrayBuffer(density.countsByType),
      totalNuclei: density.totalNuclei,
    };
  }
  const found = store.queryNucleiInViewport(analysisId, view.rect);
  const chunks = found.chunkByteOffsets.map((offset, k) => {
    const byteLength = found.chunkByteLengths[k] ?? 0;
    return {
      tileIndex: found.chunkTileIndices[k] ?? 0,
      nucleusCount: decodeNucleiChunk(found.buffer, offset, byteLength).nucleusCount,
      bytes: found.buffer.slice(offset, offset + byteLength),
    };
  });
  return { kind: 'nuclei', chunks };
}

/** The renderer's first step on an answer: typed-array views over every chunk. */
function decodeLikeTheRenderer(envelope: unknown): number {
  const answer = (envelope as { value: NucleiViewport }).value;
  // Density counts are read in place; only chunks have views to build.
  if (answer.kind === 'density') return 0;
  return answer.chunks.reduce(
    (sum, chunk) => sum + decodeNucleiChunk(chunk.bytes).nucleusCount,
    0,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function measureZoom(
  store: ResultStore,
  analysisId: number,
  zoom: { name: string; screenPxPerBasePx: number; isDensity: boolean },
): string {
  const slideEdge = SPEC.tileColumns * SPEC.tileSizePx;
  const width = Math.min(slideEdge, SCREEN.widthPx / zoom.screenPxPerBasePx);
  const height = Math.min(slideEdge, SCREEN.heightPx / zoom.screenPxPerBasePx);
  let seed = 99;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const storeMs: number[] = [];
  const totalMs: number[] = [];
  let nuclei = 0;
  for (let query = 0; query < QUERIES; query++) {
    const rect = {
      x: random() * (slideEdge - width),
      y: random() * (slideEdge - height),
      width,
      height,
    };
    const started = performance.now();
    const answer = viewportAnswer(store, analysisId, { rect, isDensity: zoom.isDensity });
    storeMs.push(performance.now() - started);
    nuclei += decodeLikeTheRenderer(
      decodeEnvelope(encodeEnvelope({ ok: true, value: answer })),
    );
    totalMs.push(performance.now() - started);
  }
  storeMs.sort((a, b) => a - b);
  totalMs.sort((a, b) => a - b);
  return (
    `viewport query, ${zoom.name} (${Math.round(width)} x ${Math.round(height)} px, mean ${Math.round(nuclei / QUERIES)} nuclei): ` +
    `store p50 ${percentile(storeMs, 0.5).toFixed(2)} ms, p95 ${percentile(storeMs, 0.95).toFixed(2)} ms; ` +
    `with envelope encode and decode p95 ${percentile(totalMs, 0.95).toFixed(2)} ms (goal <= 5 ms, ${QUERIES} queries)`
  );
}

/** Fills a fresh store and measures the three zooms the viewer asks for. */
export function measureViewerQueries(): string[] {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cellvit-viewer-bench-'));
  const store = openStore(path.join(folder, 'viewer.db'));
  try {
    const analysisId = fillStore(store);
    return [
      measureZoom(store, analysisId, {
        name: 'fully zoomed out (density)',
        screenPxPerBasePx: SCREEN.widthPx / (SPEC.tileColumns * SPEC.tileSizePx),
        isDensity: true,
      }),
      measureZoom(store, analysisId, {
        name: 'mid zoom 0.25',
        screenPxPerBasePx: 0.25,
        isDensity: false,
      }),
      measureZoom(store, analysisId, {
        name: 'full resolution',
        screenPxPerBasePx: 1,
        isDensity: false,
      }),
    ];
  } finally {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
