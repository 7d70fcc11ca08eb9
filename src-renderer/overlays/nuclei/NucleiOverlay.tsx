/**
 * The nuclei layer as a React component: a canvas over the viewer driven by a
 * {@link NucleiLayerController}; a click on the slide asks the store which nucleus
 * is there and hands its details up.
 */
import { useEffect, useRef, type RefObject } from 'react';
import OpenSeadragon from 'openseadragon';
import type { NucleusDetail } from '../../../src-shared/ipc-result-schemas';
import { useAppContext } from '../../api/api-context';
import { describeError } from '../../api/api-client';
import { onViewChange } from '../../viewer/osd-bridge';
import { NucleiLayerController, type NucleiLayerStyle } from './nuclei-layer-controller';

/** Owns the layer controller for the viewer, canvas and analysis. */
function useNucleiController(options: {
  canvasRef: RefObject<HTMLCanvasElement | null>;
  viewer: OpenSeadragon.Viewer;
  analysisId: string;
  mppX: number | null;
  style: NucleiLayerStyle;
  onError: (message: string) => void;
}) {
  const { api } = useAppContext();
  const controllerRef = useRef<NucleiLayerController | null>(null);
  const styleRef = useRef(options.style);
  const { canvasRef, viewer, analysisId, mppX, onError } = options;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let controller: NucleiLayerController;
    try {
      const style = styleRef.current;
      controller = new NucleiLayerController({
        canvas,
        viewer,
        api,
        analysisId,
        mppX,
        style,
        onError,
      });
    } catch (error) {
      onError(`Nuclei cannot be drawn: ${describeError(error)}`);
      return;
    }
    controllerRef.current = controller;
    const unsubscribe = onViewChange(viewer, () => controller.onViewChanged());
    controller.onViewChanged();
    return () => {
      unsubscribe();
      controller.dispose();
      controllerRef.current = null;
    };
  }, [canvasRef, viewer, api, analysisId, mppX, onError]);

  useEffect(() => {
    styleRef.current = options.style;
    controllerRef.current?.setStyle(options.style);
  }, [options.style]);
}

/** Asks the store for the nucleus under each quick click on the slide. */
function useNucleusPicking(options: {
  viewer: OpenSeadragon.Viewer;
  analysisId: string;
  onPicked: (detail: NucleusDetail | null) => void;
  onError: (message: string) => void;
}) {
  const { api } = useAppContext();
  const { viewer, analysisId, onPicked, onError } = options;
  useEffect(() => {
    const click = (event: OpenSeadragon.CanvasClickEvent) => {
      if (!event.quick) return;
      const pointBase = viewer.viewport.viewerElementToImageCoordinates(event.position);
      api
        .call('nuclei:at', { analysisId, pointBase: { x: pointBase.x, y: pointBase.y } })
        .then(onPicked)
        .catch((error: unknown) =>
          onError(`Could not read that nucleus: ${describeError(error)}`),
        );
    };
    viewer.addHandler('canvas-click', click);
    return () => viewer.removeHandler('canvas-click', click);
  }, [viewer, api, analysisId, onPicked, onError]);
}

/** The overlay; `onPicked` receives the clicked nucleus, or `null` for empty tissue. */
export function NucleiOverlay(props: {
  viewer: OpenSeadragon.Viewer;
  analysisId: string;
  mppX: number | null;
  style: NucleiLayerStyle;
  onPicked: (detail: NucleusDetail | null) => void;
  onError: (message: string) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useNucleiController({ ...props, canvasRef });
  useNucleusPicking(props);
  return (
    <canvas
      ref={canvasRef}
      className="overlay-canvas"
      aria-hidden="true"
      data-testid="nuclei-canvas"
    />
  );
}
