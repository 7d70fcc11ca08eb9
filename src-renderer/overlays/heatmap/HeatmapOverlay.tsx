/**
 * The uncertainty and verdict heat maps, drawn with Canvas 2D: each layer is one
 * small image (a few texels per region cell) scaled onto the view, so a frame costs
 * one `drawImage` per visible layer whatever the slide size.
 */
import { useEffect, useRef, useState } from 'react';
import type OpenSeadragon from 'openseadragon';
import type { GridLayer } from '../../../src-shared/ipc-result-schemas';
import { useAppContext } from '../../api/api-context';
import type { HeatmapGrid } from '../../api/view-model';
import {
  currentTransform,
  onViewChange,
  viewerScreenSize,
} from '../../viewer/osd-bridge';
import { buildHeatmapTexels, TEXELS_PER_CELL } from './heatmap-palette';

/** Visibility and opacity of one heat-map layer. */
export interface HeatmapLayerState {
  isVisible: boolean;
  opacity: number;
}

function toImage(
  grid: HeatmapGrid,
  oodThreshold: number | null,
): HTMLCanvasElement | null {
  if (grid.cols === 0 || grid.rows === 0) return null;
  const image = document.createElement('canvas');
  image.width = grid.cols * TEXELS_PER_CELL;
  image.height = grid.rows * TEXELS_PER_CELL;
  const context = image.getContext('2d');
  if (!context) return null;
  const texels = buildHeatmapTexels(grid, oodThreshold);
  const imageData = context.createImageData(image.width, image.height);
  imageData.data.set(texels);
  context.putImageData(imageData, 0, 0);
  return image;
}

function drawLayers(
  canvas: HTMLCanvasElement,
  viewer: OpenSeadragon.Viewer,
  layers: { grid: HeatmapGrid; image: HTMLCanvasElement; opacity: number }[],
): void {
  const screen = viewerScreenSize(viewer);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(screen.widthPx * ratio);
  canvas.height = Math.round(screen.heightPx * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;

  const transform = currentTransform(viewer);
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.imageSmoothingEnabled = false;
  for (const { grid, image, opacity } of layers) {
    context.globalAlpha = opacity;
    context.drawImage(
      image,
      grid.originBaseX * transform.screenPxPerBasePx + transform.offsetScreenX,
      grid.originBaseY * transform.screenPxPerBasePx + transform.offsetScreenY,
      grid.cols * grid.cellSizeBase * transform.screenPxPerBasePx,
      grid.rows * grid.cellSizeBase * transform.screenPxPerBasePx,
    );
  }
}

/** Loads each visible layer's grid once per analysis and draws the visible ones. */
export function HeatmapOverlay(props: {
  viewer: OpenSeadragon.Viewer;
  analysisId: string;
  layers: Readonly<Record<GridLayer, HeatmapLayerState>>;
  oodThreshold: number | null;
  onError: (message: string) => void;
}) {
  const { api } = useAppContext();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [images, setImages] = useState<
    Partial<Record<GridLayer, { grid: HeatmapGrid; image: HTMLCanvasElement }>>
  >({});
  const requested = useRef(new Set<string>());
  const { viewer, analysisId, layers, oodThreshold, onError } = props;

  useEffect(() => {
    for (const layer of Object.keys(layers) as GridLayer[]) {
      const key = `${analysisId}:${layer}`;
      if (!layers[layer].isVisible || requested.current.has(key)) continue;
      requested.current.add(key);
      api
        .heatmap(analysisId, layer)
        .then((grid) => {
          const image = toImage(grid, oodThreshold);
          if (image) setImages((current) => ({ ...current, [layer]: { grid, image } }));
        })
        .catch((error: unknown) =>
          onError(`The ${layer} map could not load: ${String(error)}`),
        );
    }
  }, [api, analysisId, layers, oodThreshold, onError]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const visible = (Object.keys(layers) as GridLayer[])
      .filter((layer) => layers[layer].isVisible && images[layer])
      .map((layer) => ({ ...images[layer]!, opacity: layers[layer].opacity }));
    const draw = () => drawLayers(canvas, viewer, visible);
    draw();
    canvas.dataset.visibleLayers = visible.map((entry) => entry.grid.layer).join(' ');
    return onViewChange(viewer, draw);
  }, [viewer, layers, images]);

  return (
    <canvas
      ref={canvasRef}
      className="overlay-canvas"
      aria-hidden="true"
      data-testid="heatmap-canvas"
    />
  );
}
