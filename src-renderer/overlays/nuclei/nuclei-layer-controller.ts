/**
 * Drives the nuclei layer: fetches what the store holds for the settled viewport,
 * keeps it on the GPU, and redraws on every animation frame the view moves. The
 * last frame's figures are written to the canvas's `data-*` attributes, which the
 * end-to-end tests and the bench read.
 */
import type OpenSeadragon from 'openseadragon';
import type { Api } from '../../api/api-client';
import type { NucleiViewportData } from '../../api/view-model';
import { currentTransform, viewerScreenSize } from '../../viewer/osd-bridge';
import { visibleBaseRect } from '../../viewer/viewport-transform';
import { buildClassColorTable, type LegendClass } from './class-palette';
import { buildDensityTexels } from './density-texture';
import { chooseNucleiLod, DEFAULT_LOD_BUDGET, nucleusDiameterBase } from './lod-policy';
import { NucleiGlRenderer, type FrameStats } from './nuclei-gl-renderer';

/** How the layer looks; changing it never refetches. */
export interface NucleiLayerStyle {
  classes: LegendClass[];
  hiddenClassIndices: ReadonlySet<number>;
  opacity: number;
  isFilled: boolean;
  isVisible: boolean;
}

const FETCH_DEBOUNCE_MS = 120;

/** One nuclei layer bound to a viewer, a canvas and an analysis. */
export class NucleiLayerController {
  readonly #renderer: NucleiGlRenderer;
  readonly #canvas: HTMLCanvasElement;
  readonly #viewer: OpenSeadragon.Viewer;
  readonly #api: Api;
  readonly #analysisId: string;
  readonly #mppX: number | null;
  #style: NucleiLayerStyle;
  #data: NucleiViewportData | null = null;
  #fetchTimer: number | undefined;
  #fetchGeneration = 0;
  #frameRequest: number | undefined;
  #onError: (message: string) => void;

  constructor(options: {
    canvas: HTMLCanvasElement;
    viewer: OpenSeadragon.Viewer;
    api: Api;
    analysisId: string;
    mppX: number | null;
    style: NucleiLayerStyle;
    onError: (message: string) => void;
  }) {
    this.#canvas = options.canvas;
    this.#viewer = options.viewer;
    this.#api = options.api;
    this.#analysisId = options.analysisId;
    this.#mppX = options.mppX;
    this.#style = options.style;
    this.#onError = options.onError;
    this.#renderer = new NucleiGlRenderer(options.canvas);
  }

  /** Applies a new style and redraws (the density texture is rebuilt for class toggles). */
  setStyle(style: NucleiLayerStyle): void {
    this.#style = style;
    this.#uploadDensity();
    this.requestDraw();
  }

  /** Redraws now-ish and refetches once the view settles. */
  onViewChanged(): void {
    this.requestDraw();
    window.clearTimeout(this.#fetchTimer);
    this.#fetchTimer = window.setTimeout(() => void this.#fetch(), FETCH_DEBOUNCE_MS);
  }

  async #fetch(): Promise<void> {
    const generation = ++this.#fetchGeneration;
    const transform = currentTransform(this.#viewer);
    const screen = viewerScreenSize(this.#viewer);
    if (!(transform.screenPxPerBasePx > 0) || screen.widthPx === 0) return;

    try {
      const data = await this.#api.nucleiInViewport({
        analysisId: this.#analysisId,
        viewportBase: visibleBaseRect(transform, screen),
        basePerScreenPx: 1 / transform.screenPxPerBasePx,
        // Past the polygon budget the store answers with per-tile density, which
        // bounds both the transfer and the frame whatever the slide holds.
        maxNuclei: DEFAULT_LOD_BUDGET.maxPolygons,
      });
      if (generation !== this.#fetchGeneration) return;
      this.#data = data;
      this.#renderer.setChunks(data.kind === 'nuclei' ? data.chunks : []);
      this.#uploadDensity();
      this.requestDraw();
    } catch (error) {
      this.#onError(error instanceof Error ? error.message : String(error));
    }
  }

  #uploadDensity(): void {
    const data = this.#data;
    if (data?.kind !== 'density') {
      this.#renderer.setDensity(null, null);
      return;
    }
    const texels = buildDensityTexels(
      data.density,
      this.#style.classes,
      this.#style.hiddenClassIndices,
    );
    this.#renderer.setDensity(data.density, texels);
  }

  /** Schedules one draw on the next animation frame. */
  requestDraw(): void {
    if (this.#frameRequest !== undefined) return;
    this.#frameRequest = window.requestAnimationFrame(() => {
      this.#frameRequest = undefined;
      this.drawNow();
    });
  }

  /** Draws synchronously and returns what was drawn (used by the bench too). */
  drawNow(): FrameStats {
    const startMs = performance.now();
    const screen = viewerScreenSize(this.#viewer);
    this.#resizeCanvas(screen.widthPx, screen.heightPx);
    const transform = currentTransform(this.#viewer);
    const stats = this.#renderer.draw({
      transform,
      screen,
      lod: this.#chooseLod(transform.screenPxPerBasePx),
      pointRadiusScreenPx: 2,
      opacity: this.#style.isVisible ? this.#style.opacity : 0,
      classColors: buildClassColorTable(
        this.#style.classes,
        this.#style.hiddenClassIndices,
      ),
    });
    this.#publish(stats, performance.now() - startMs);
    return stats;
  }

  #chooseLod(screenPxPerBasePx: number) {
    const data = this.#data;
    if (!data || data.kind === 'density') return 'density' as const;
    const visible = data.chunks.reduce((sum, chunk) => sum + chunk.count, 0);
    return chooseNucleiLod({
      screenPxPerBasePx,
      estimatedVisibleNuclei: visible,
      nucleusDiameterBase: nucleusDiameterBase(this.#mppX),
      isFilled: this.#style.isFilled,
      budget: { ...DEFAULT_LOD_BUDGET, maxPoints: Number.POSITIVE_INFINITY },
    });
  }

  #resizeCanvas(widthPx: number, heightPx: number): void {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(widthPx * ratio);
    const height = Math.round(heightPx * ratio);
    if (this.#canvas.width !== width) this.#canvas.width = width;
    if (this.#canvas.height !== height) this.#canvas.height = height;
  }

  #publish(stats: FrameStats, frameMs: number): void {
    const dataset = this.#canvas.dataset;
    dataset.lod = stats.lod;
    dataset.drawnPolygons = String(stats.drawnPolygons);
    dataset.drawnPoints = String(stats.drawnPoints);
    dataset.drawCalls = String(stats.drawCalls);
    dataset.frameMs = frameMs.toFixed(2);
  }

  /** Stops timers and frees GPU memory. */
  dispose(): void {
    window.clearTimeout(this.#fetchTimer);
    if (this.#frameRequest !== undefined) window.cancelAnimationFrame(this.#frameRequest);
    this.#fetchGeneration++;
    this.#renderer.dispose();
  }
}
