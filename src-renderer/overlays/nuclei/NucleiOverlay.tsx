/**
 * The nuclei layer as a React component: a canvas over the viewer driven by a
 * {@link NucleiLayerController}; a click on the slide asks the store which nucleus
 * is there and hands its details up.
 */
import { useEffect, useRef } from 'react';
import OpenSeadragon from 'openseadragon';
import type { NucleusDetail } from '../../../src-shared/ipc-result-schemas';
import { useAppContext } from '../../api/api-context';
import { describeError } from '../../api/api-client';
import { onViewChange } from '../../viewer/osd-bridge';
import { NucleiLayerController, type NucleiLayerStyle } from './nuclei-layer-controller';

/** The overlay; `onPicked` receives the clicked nucleus, or `null` for empty tissue. */
export function NucleiOverlay(props: {
  viewer: OpenSeadragon.Viewer;
  analysisId: string;
  mppX: number | null;
  style: NucleiLayerStyle;
  onPicked: (detail: NucleusDetail | null) => void;
  onError: (message: string) => void;
}) {
  const { api } = useAppContext();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const controllerRef = useRef<NucleiLayerController | null>(null);
  const styleRef = useRef(props.style);
  const { viewer, analysisId, mppX, onPicked, onError } = props;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let controller: NucleiLayerController;
    try {
      controller = new NucleiLayerController({
        canvas,
        viewer,
        api,
        analysisId,
        mppX,
        style: styleRef.current,
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
  }, [viewer, api, analysisId, mppX, onError]);

  useEffect(() => {
    styleRef.current = props.style;
    controllerRef.current?.setStyle(props.style);
  }, [props.style]);

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

  return (
    <canvas
      ref={canvasRef}
      className="overlay-canvas"
      aria-hidden="true"
      data-testid="nuclei-canvas"
    />
  );
}
