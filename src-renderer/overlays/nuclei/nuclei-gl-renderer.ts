/**
 * The nuclei layer's WebGL2 renderer. It keeps the chunks of the current viewport
 * on the GPU (uploaded once each), draws them at the level of detail it is given
 * within a per-frame budget, and reports what it drew so tests and the bench can
 * check the work done per frame.
 */
import type { DensityGrid, NucleiChunk } from '../../api/view-model';
import {
  baseToClip,
  type BaseToScreen,
  type ScreenSize,
} from '../../viewer/viewport-transform';
import {
  DENSITY_FRAGMENT_SHADER,
  DENSITY_VERTEX_SHADER,
  NUCLEI_FRAGMENT_SHADER,
  NUCLEI_VERTEX_SHADER,
} from './gl-shaders';
import { linkProgram, WebGlUnavailableError, type LinkedProgram } from './gl-program';
import {
  deleteChunk,
  uploadChunk,
  type GpuChunk,
  type NucleiAttributes,
} from './gpu-chunk';
import {
  DEFAULT_LOD_BUDGET,
  planChunkDraws,
  type LodBudget,
  type NucleiLod,
} from './lod-policy';

/** What one frame drew. */
export interface FrameStats {
  lod: NucleiLod;
  drawnPolygons: number;
  drawnPoints: number;
  drawCalls: number;
}

/** Inputs of one frame. */
export interface FrameRequest {
  transform: BaseToScreen;
  screen: ScreenSize;
  lod: NucleiLod;
  /** Radius of a nucleus drawn as a point, CSS px. */
  pointRadiusScreenPx: number;
  /** Overall layer opacity, 0..1. */
  opacity: number;
  /** RGBA per class index (see `buildClassColorTable`). */
  classColors: Float32Array;
}

const UNIT_QUAD = new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]);

/** Draws nuclei chunks and density grids on one canvas. */
export class NucleiGlRenderer {
  readonly #gl: WebGL2RenderingContext;
  readonly #nuclei: LinkedProgram;
  readonly #density: LinkedProgram;
  readonly #attributes: NucleiAttributes;
  readonly #densityVao: WebGLVertexArrayObject;
  readonly #densityTexture: WebGLTexture;
  readonly #budget: LodBudget;
  #chunks = new Map<string, GpuChunk>();
  #densityGrid: DensityGrid | null = null;

  constructor(canvas: HTMLCanvasElement, budget: LodBudget = DEFAULT_LOD_BUDGET) {
    const gl = canvas.getContext('webgl2', {
      antialias: false,
      premultipliedAlpha: false,
    });
    if (!gl) throw new WebGlUnavailableError('This browser offers no WebGL2 context.');
    this.#gl = gl;
    this.#budget = budget;
    this.#nuclei = linkProgram(gl, {
      vertex: NUCLEI_VERTEX_SHADER,
      fragment: NUCLEI_FRAGMENT_SHADER,
    });
    this.#density = linkProgram(gl, {
      vertex: DENSITY_VERTEX_SHADER,
      fragment: DENSITY_FRAGMENT_SHADER,
    });
    this.#attributes = {
      base: this.#nuclei.attribute('a_base'),
      classIndex: this.#nuclei.attribute('a_class'),
    };
    this.#densityVao = this.#makeDensityVao();
    this.#densityTexture = gl.createTexture();
  }

  #staticBuffer(data: Float32Array): WebGLBuffer {
    const gl = this.#gl;
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
    return buffer;
  }

  #makeDensityVao(): WebGLVertexArrayObject {
    const gl = this.#gl;
    const vao = gl.createVertexArray();
    gl.bindVertexArray(vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#staticBuffer(UNIT_QUAD));
    const unit = this.#density.attribute('a_unit');
    gl.enableVertexAttribArray(unit);
    gl.vertexAttribPointer(unit, 2, gl.FLOAT, false, 0, 0);
    gl.bindVertexArray(null);
    return vao;
  }

  /** Keeps exactly `chunks` on the GPU: uploads new keys, frees the others. */
  setChunks(chunks: readonly NucleiChunk[]): void {
    const next = new Map<string, GpuChunk>();
    for (const chunk of chunks) {
      const existing = this.#chunks.get(chunk.chunkKey);
      next.set(
        chunk.chunkKey,
        existing ?? uploadChunk(this.#gl, chunk, this.#attributes),
      );
    }
    for (const [key, chunk] of this.#chunks) {
      if (!next.has(key)) deleteChunk(this.#gl, chunk);
    }
    this.#chunks = next;
  }

  /** Replaces the density texture (RGBA8 texels, one per grid cell), or clears it. */
  setDensity(grid: DensityGrid | null, texels: Uint8Array | null): void {
    const gl = this.#gl;
    this.#densityGrid = grid;
    if (!grid || !texels || grid.cols === 0 || grid.rows === 0) return;
    gl.bindTexture(gl.TEXTURE_2D, this.#densityTexture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(
      gl.TEXTURE_2D,
      0,
      gl.RGBA8,
      grid.cols,
      grid.rows,
      0,
      gl.RGBA,
      gl.UNSIGNED_BYTE,
      texels,
    );
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  }

  /** Draws one frame and says what it drew. */
  draw(request: FrameRequest): FrameStats {
    const gl = this.#gl;
    gl.viewport(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.BLEND);
    gl.blendFuncSeparate(
      gl.SRC_ALPHA,
      gl.ONE_MINUS_SRC_ALPHA,
      gl.ONE,
      gl.ONE_MINUS_SRC_ALPHA,
    );

    if (request.lod === 'density') return this.#drawDensity(request);
    return this.#drawChunks(request);
  }

  #drawDensity(request: FrameRequest): FrameStats {
    const gl = this.#gl;
    const grid = this.#densityGrid;
    const stats: FrameStats = {
      lod: 'density',
      drawnPolygons: 0,
      drawnPoints: 0,
      drawCalls: 0,
    };
    if (!grid || grid.cols === 0 || grid.rows === 0) return stats;

    const clip = baseToClip(request.transform, request.screen);
    gl.useProgram(this.#density.program);
    gl.uniform4f(
      this.#density.uniform('u_baseToClip'),
      clip.scaleX,
      clip.scaleY,
      clip.offsetX,
      clip.offsetY,
    );
    gl.uniform4f(
      this.#density.uniform('u_gridBase'),
      grid.originBaseX,
      grid.originBaseY,
      grid.cols * grid.cellSizeBase,
      grid.rows * grid.cellSizeBase,
    );
    gl.uniform1f(this.#density.uniform('u_opacity'), request.opacity);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.#densityTexture);
    gl.uniform1i(this.#density.uniform('u_density'), 0);
    gl.bindVertexArray(this.#densityVao);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    gl.bindVertexArray(null);
    return { ...stats, drawCalls: 1 };
  }

  #useNucleiProgram(request: FrameRequest): void {
    const gl = this.#gl;
    const clip = baseToClip(request.transform, request.screen);
    gl.useProgram(this.#nuclei.program);
    gl.uniform4f(
      this.#nuclei.uniform('u_baseToClip'),
      clip.scaleX,
      clip.scaleY,
      clip.offsetX,
      clip.offsetY,
    );
    const ratio = gl.drawingBufferWidth / request.screen.widthPx;
    gl.uniform1f(
      this.#nuclei.uniform('u_pointSizePx'),
      2 * request.pointRadiusScreenPx * ratio,
    );
    gl.uniform4fv(this.#nuclei.uniform('u_classColors'), request.classColors);
    gl.uniform1f(this.#nuclei.uniform('u_opacity'), request.opacity);
  }

  #drawChunks(request: FrameRequest): FrameStats {
    const gl = this.#gl;
    this.#useNucleiProgram(request);
    const chunks = [...this.#chunks.values()];
    const centre = this.#viewCentreBase(request);
    const modes = planChunkDraws(
      chunks.map((chunk) => ({
        contourVertexCount: chunk.contourVertexCount,
        nucleusCount: chunk.nucleusCount,
        distanceToCentre: Math.hypot(
          chunk.centreBaseX - centre.x,
          chunk.centreBaseY - centre.y,
        ),
      })),
      request.lod,
      this.#budget,
    );

    const stats: FrameStats = {
      lod: request.lod,
      drawnPolygons: 0,
      drawnPoints: 0,
      drawCalls: 0,
    };
    chunks.forEach((chunk, index) => {
      const mode = modes[index];
      if (mode === 'polygons') this.#drawPolygons(chunk, request.lod, stats);
      else if (mode === 'points') this.#drawPoints(chunk, stats);
    });
    gl.bindVertexArray(null);
    return stats;
  }

  #viewCentreBase(request: FrameRequest): { x: number; y: number } {
    const { transform, screen } = request;
    return {
      x: (screen.widthPx / 2 - transform.offsetScreenX) / transform.screenPxPerBasePx,
      y: (screen.heightPx / 2 - transform.offsetScreenY) / transform.screenPxPerBasePx,
    };
  }

  #drawPolygons(chunk: GpuChunk, lod: NucleiLod, stats: FrameStats): void {
    const gl = this.#gl;
    if (lod === 'filled') {
      gl.bindVertexArray(chunk.fillVao);
      gl.drawElements(gl.TRIANGLES, chunk.fillIndexCount, gl.UNSIGNED_INT, 0);
    } else {
      // Line loops separated by the restart index (always on in WebGL2):
      // one draw call per chunk instead of one per nucleus.
      gl.bindVertexArray(chunk.outlineVao);
      gl.drawElements(gl.LINE_LOOP, chunk.outlineIndexCount, gl.UNSIGNED_INT, 0);
    }
    stats.drawnPolygons += chunk.nucleusCount;
    stats.drawCalls += 1;
  }

  #drawPoints(chunk: GpuChunk, stats: FrameStats): void {
    const gl = this.#gl;
    // Plain points over the centroid range: SwiftShader runs instanced draws
    // instance by instance, which measured 30x slower for the same nuclei.
    gl.bindVertexArray(chunk.outlineVao);
    gl.drawArrays(gl.POINTS, chunk.firstCentroidVertex, chunk.nucleusCount);
    stats.drawnPoints += chunk.nucleusCount;
    stats.drawCalls += 1;
  }

  /** Frees every GPU resource; the renderer is unusable afterwards. */
  dispose(): void {
    this.setChunks([]);
    this.#gl.deleteTexture(this.#densityTexture);
  }
}
