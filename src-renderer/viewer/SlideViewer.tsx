/**
 * The slide viewer: OpenSeadragon over the Deep Zoom tiles main serves, with a
 * navigator, keyboard pan and zoom on the focusable frame, the scale bar and cursor
 * readout. Overlays are rendered by `renderOverlays` once the viewer exists.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import OpenSeadragon from 'openseadragon';
import type { SlideDetails } from '../../src-shared/ipc-schemas';
import {
  currentTransform,
  deepZoomTileSource,
  onViewChange,
  viewerScreenSize,
  type TileUrlParts,
} from './osd-bridge';
import { visibleBaseRect } from './viewport-transform';
import { viewerActionForKey } from './keyboard-navigation';
import { CursorReadout, ScaleBar } from './ViewerChrome';

function applyKey(viewer: OpenSeadragon.Viewer, event: KeyboardEvent): boolean {
  const action = viewerActionForKey(event.key, {
    isCtrl: event.ctrlKey,
    isAlt: event.altKey,
    isMeta: event.metaKey,
  });
  if (!action) return false;
  const viewport = viewer.viewport;
  if (action.kind === 'home') viewport.goHome();
  if (action.kind === 'zoom') viewport.zoomBy(action.factor);
  if (action.kind === 'pan') {
    const bounds = viewport.getBounds();
    viewport.panBy(
      new OpenSeadragon.Point(
        bounds.width * action.fractionX,
        bounds.height * action.fractionY,
      ),
    );
  }
  viewport.applyConstraints();
  return true;
}

/**
 * Mirrors the view on the frame's `data-*` attributes (visible level-0 rectangle,
 * tiles loaded): read by the end-to-end tests, and harmless to everyone else.
 */
function useViewAttributes(
  viewer: OpenSeadragon.Viewer | null,
  frame: HTMLElement | null,
) {
  useEffect(() => {
    if (!viewer || !frame) return;
    let tilesLoaded = 0;
    const countTile = () => {
      tilesLoaded += 1;
      frame.dataset.tilesLoaded = String(tilesLoaded);
    };
    viewer.addHandler('tile-loaded', countTile);
    const unsubscribe = onViewChange(viewer, () => {
      const rect = visibleBaseRect(currentTransform(viewer), viewerScreenSize(viewer));
      frame.dataset.viewBase = [rect.x, rect.y, rect.width, rect.height]
        .map(Math.round)
        .join(',');
    });
    return () => {
      viewer.removeHandler('tile-loaded', countTile);
      unsubscribe();
    };
  }, [viewer, frame]);
}

function createViewer(element: HTMLElement, tileSource: object): OpenSeadragon.Viewer {
  return OpenSeadragon({
    element,
    tileSources: tileSource as OpenSeadragon.TileSourceOptions,
    showNavigator: true,
    navigatorPosition: 'BOTTOM_RIGHT',
    showNavigationControl: false,
    keyboardNavEnabled: false,
    animationTime: 0.6,
    maxZoomPixelRatio: 2,
    visibilityRatio: 0.5,
    gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
  } as OpenSeadragon.Options);
}

/** The viewer for one slide. */
export function SlideViewer(props: {
  slide: SlideDetails;
  tiles: TileUrlParts;
  onViewer: (viewer: OpenSeadragon.Viewer | null) => void;
  renderOverlays: (viewer: OpenSeadragon.Viewer) => ReactNode;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [frame, setFrame] = useState<HTMLDivElement | null>(null);
  const [viewer, setViewer] = useState<OpenSeadragon.Viewer | null>(null);
  useViewAttributes(viewer, frame);
  const { slide, tiles, onViewer } = props;

  useEffect(() => {
    if (!hostRef.current) return;
    const source = deepZoomTileSource({
      slideId: slide.slideId,
      deepZoom: slide.deepZoom,
      tiles,
    });
    const created = createViewer(hostRef.current, source);
    setViewer(created);
    onViewer(created);
    return () => {
      onViewer(null);
      setViewer(null);
      created.destroy();
    };
  }, [slide.slideId, slide.deepZoom, tiles, onViewer]);

  const mppX = slide.mpp?.x ?? null;
  const mppY = slide.mpp?.y ?? null;
  return (
    <div
      ref={setFrame}
      className="viewer-frame"
      tabIndex={0}
      role="application"
      aria-label="Slide viewer. Arrow keys pan, plus and minus zoom, 0 shows the whole slide."
      onKeyDown={(event) => {
        if (viewer && applyKey(viewer, event)) event.preventDefault();
      }}
    >
      <div ref={hostRef} className="viewer-host" data-testid="slide-viewer" />
      {viewer ? props.renderOverlays(viewer) : null}
      {viewer ? <ScaleBar viewer={viewer} mppX={mppX} /> : null}
      {viewer ? <CursorReadout viewer={viewer} mppX={mppX} mppY={mppY} /> : null}
    </div>
  );
}
