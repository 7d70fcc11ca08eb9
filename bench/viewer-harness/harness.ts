/**
 * Browser side of the viewer bench: builds a synthetic slide of nuclei (tile grid,
 * elliptical contours), hands the nuclei layer exactly what the store would return
 * for a viewport at a given zoom, and times frames including GPU completion.
 */
import type { DensityGrid, NucleiChunk } from '../../src-renderer/api/view-model';
import {
  buildClassColorTable,
  type LegendClass,
} from '../../src-renderer/overlays/nuclei/class-palette';
import { buildDensityTexels } from '../../src-renderer/overlays/nuclei/density-texture';
import {
  chooseNucleiLod,
  DEFAULT_LOD_BUDGET,
  nucleusDiameterBase,
} from '../../src-renderer/overlays/nuclei/lod-policy';
import { NucleiGlRenderer } from '../../src-renderer/overlays/nuclei/nuclei-gl-renderer';

interface SlideSpec {
  tileSizePx: number;
  tileColumns: number;
  tileRows: number;
  nucleiPerTile: number;
  verticesPerNucleus: number;
  mpp: number;
}

const CLASSES: LegendClass[] = [
  { index: 0, name: 'untyped', pannuke: [], colorHex: '#9e9e9e' },
  { index: 1, name: 'inflammatory', pannuke: ['Inflammatory'], colorHex: '#1f77ff' },
  { index: 2, name: 'connective', pannuke: ['Connective'], colorHex: '#2ca02c' },
  {
    index: 3,
    name: 'epithelial-or-neoplastic',
    pannuke: ['Neoplastic', 'Epithelial'],
    colorHex: '#e3171e',
  },
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function makeChunk(spec: SlideSpec, tileIndex: number): NucleiChunk {
  const next = random(tileIndex + 1);
  const n = spec.nucleiPerTile;
  const v = spec.verticesPerNucleus;
  const originX = (tileIndex % spec.tileColumns) * spec.tileSizePx;
  const originY = Math.floor(tileIndex / spec.tileColumns) * spec.tileSizePx;
  const chunk: NucleiChunk = {
    chunkKey: String(tileIndex),
    count: n,
    centroidsBase: new Float32Array(2 * n),
    classIndices: new Uint8Array(n),
    contourOffsets: new Uint32Array(n + 1),
    contourBase: new Float32Array(2 * n * v),
  };
  for (let i = 0; i < n; i++) {
    const cx = originX + next() * spec.tileSizePx;
    const cy = originY + next() * spec.tileSizePx;
    const rx = 6 + next() * 8;
    const ry = 6 + next() * 8;
    chunk.centroidsBase.set([cx, cy], 2 * i);
    chunk.classIndices[i] = 1 + Math.floor(next() * 3);
    chunk.contourOffsets[i + 1] = (i + 1) * v;
    for (let k = 0; k < v; k++) {
      const angle = (2 * Math.PI * k) / v;
      chunk.contourBase.set(
        [cx + rx * Math.cos(angle), cy + ry * Math.sin(angle)],
        2 * (i * v + k),
      );
    }
  }
  return chunk;
}

function densityOf(spec: SlideSpec): DensityGrid {
  const cells = spec.tileColumns * spec.tileRows;
  const counts = new Uint32Array(cells * 4);
  for (let cell = 0; cell < cells; cell++)
    counts[cell * 4 + 1 + (cell % 3)] = spec.nucleiPerTile;
  return {
    originBaseX: 0,
    originBaseY: 0,
    cellSizeBase: spec.tileSizePx,
    cols: spec.tileColumns,
    rows: spec.tileRows,
    countsPerCell: 4,
    counts,
  };
}

/** Chunks whose tiles intersect the level-0 rectangle. */
function chunksInView(
  spec: SlideSpec,
  view: { x: number; y: number; width: number; height: number },
) {
  const chunks: NucleiChunk[] = [];
  const firstCol = Math.max(0, Math.floor(view.x / spec.tileSizePx));
  const lastCol = Math.min(
    spec.tileColumns - 1,
    Math.floor((view.x + view.width) / spec.tileSizePx),
  );
  const firstRow = Math.max(0, Math.floor(view.y / spec.tileSizePx));
  const lastRow = Math.min(
    spec.tileRows - 1,
    Math.floor((view.y + view.height) / spec.tileSizePx),
  );
  for (let row = firstRow; row <= lastRow; row++) {
    for (let col = firstCol; col <= lastCol; col++)
      chunks.push(makeChunk(spec, row * spec.tileColumns + col));
  }
  return chunks;
}

/** One measured zoom: its name, what was drawn and frame times in ms. */
export interface ZoomResult {
  name: string;
  lod: string;
  drawnPolygons: number;
  drawnPoints: number;
  visibleNuclei: number;
  frameMs: number[];
  /** The same frames with nothing drawn (clear and read-back only): the fixed cost. */
  emptyFrameMs: number[];
}

interface ZoomRequest {
  spec: SlideSpec;
  name: string;
  screenPxPerBasePx: number;
  frames: number;
}

const SCREEN = { widthPx: 1280, heightPx: 800 };
/** The store answers with density past this zoom-out (see the `nuclei:viewport` handler). */
const POLYGON_MAX_BASE_PER_SCREEN_PX = 4;

function centredTransform(spec: SlideSpec, screenPxPerBasePx: number) {
  const slideWidth = spec.tileColumns * spec.tileSizePx;
  const slideHeight = spec.tileRows * spec.tileSizePx;
  const width = SCREEN.widthPx / screenPxPerBasePx;
  const height = SCREEN.heightPx / screenPxPerBasePx;
  const view = {
    x: Math.max(0, (slideWidth - width) / 2),
    y: Math.max(0, (slideHeight - height) / 2),
    width,
    height,
  };
  const transform = {
    screenPxPerBasePx,
    offsetScreenX: -view.x * screenPxPerBasePx,
    offsetScreenY: -view.y * screenPxPerBasePx,
  };
  return { view, transform };
}

/** Loads what the app would receive for the view; returns the LOD it would draw. */
function loadView(renderer: NucleiGlRenderer, request: ZoomRequest) {
  const { spec, screenPxPerBasePx } = request;
  const { view } = centredTransform(spec, screenPxPerBasePx);
  const chunks =
    1 / screenPxPerBasePx > POLYGON_MAX_BASE_PER_SCREEN_PX
      ? []
      : chunksInView(spec, view);
  const visibleNuclei = chunks.reduce((sum, chunk) => sum + chunk.count, 0);
  if (chunks.length === 0 || visibleNuclei > DEFAULT_LOD_BUDGET.maxPolygons) {
    const grid = densityOf(spec);
    renderer.setDensity(grid, buildDensityTexels(grid, CLASSES, new Set()));
    return { lod: 'density' as const, visibleNuclei: 0 };
  }
  renderer.setChunks(chunks);
  const lod = chooseNucleiLod({
    screenPxPerBasePx,
    estimatedVisibleNuclei: visibleNuclei,
    nucleusDiameterBase: nucleusDiameterBase(spec.mpp),
    isFilled: false,
  });
  return { lod, visibleNuclei };
}

async function timeFrames(
  frames: number,
  drawFrame: (frame: number) => void,
): Promise<number[]> {
  const canvas = document.getElementById('overlay') as HTMLCanvasElement;
  const gl = canvas.getContext('webgl2') as WebGL2RenderingContext;
  const pixel = new Uint8Array(4);
  const frameMs: number[] = [];
  for (let frame = 0; frame < frames + 2; frame++) {
    const start = performance.now();
    drawFrame(frame);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    if (frame >= 2) frameMs.push(performance.now() - start);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  return frameMs;
}

async function measureZoom(request: ZoomRequest): Promise<ZoomResult> {
  const canvas = document.getElementById('overlay') as HTMLCanvasElement;
  canvas.width = SCREEN.widthPx;
  canvas.height = SCREEN.heightPx;
  const renderer = new NucleiGlRenderer(canvas);
  const { lod, visibleNuclei } = loadView(renderer, request);
  const { transform } = centredTransform(request.spec, request.screenPxPerBasePx);
  const classColors = buildClassColorTable(CLASSES, new Set());
  let stats = null as ReturnType<NucleiGlRenderer['draw']> | null;

  // Pan one pixel per frame, as during a drag, so no frame repeats the last one.
  const frameAt = (frame: number) => ({
    transform: { ...transform, offsetScreenX: transform.offsetScreenX + frame },
    screen: SCREEN,
    pointRadiusScreenPx: 2,
    opacity: 0.8,
    classColors,
  });
  const frameMs = await timeFrames(request.frames, (frame) => {
    stats = renderer.draw({ ...frameAt(frame), lod });
  });
  const emptyFrameMs = await timeFrames(request.frames, (frame) => {
    renderer.draw({
      ...frameAt(frame),
      lod: 'outlines',
      opacity: 0,
      classColors: new Float32Array(classColors.length),
    });
  });
  renderer.dispose();
  return {
    name: request.name,
    lod,
    drawnPolygons: stats?.drawnPolygons ?? 0,
    drawnPoints: stats?.drawnPoints ?? 0,
    visibleNuclei,
    frameMs,
    emptyFrameMs,
  };
}

Reflect.set(window, 'measureOverlayZoom', measureZoom);
Reflect.set(window, 'harnessReady', true);
