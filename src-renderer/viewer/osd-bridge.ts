/**
 * The few places the UI touches OpenSeadragon: the tile source built from the
 * contract's Deep Zoom description, the level-0-to-canvas transform, moving to a
 * level-0 rectangle, and subscribing to every viewport change.
 */
import OpenSeadragon from 'openseadragon';
import type { Rect } from '../../src-shared/geometry';
import type { DeepZoomInfo } from '../../src-shared/ipc-schemas';
import type { BaseToScreen, ScreenSize } from './viewport-transform';

/** Where tiles are fetched: `${urlPrefix}${slideId}/${L}/${C}_${R}.jpeg${urlSuffix}`. */
export interface TileUrlParts {
  urlPrefix: string;
  urlSuffix: string;
}

/** OpenSeadragon's custom tile source for a slide's Deep Zoom pyramid. */
export function deepZoomTileSource(options: {
  slideId: string;
  deepZoom: DeepZoomInfo;
  tiles: TileUrlParts;
}): object {
  const { slideId, deepZoom, tiles } = options;
  return {
    width: deepZoom.widthPx,
    height: deepZoom.heightPx,
    tileSize: deepZoom.tileSizePx,
    tileOverlap: deepZoom.overlapPx,
    minLevel: 0,
    maxLevel: deepZoom.maxLevel,
    getTileUrl: (level: number, col: number, row: number) =>
      `${tiles.urlPrefix}${encodeURIComponent(slideId)}/${level}/${col}_${row}.jpeg${tiles.urlSuffix}`,
  };
}

/** The current (animated, not target) level-0-to-canvas transform. */
export function currentTransform(viewer: OpenSeadragon.Viewer): BaseToScreen {
  const item = viewer.world.getItemAt(0);
  const widthPx = item ? item.getContentSize().x : 1;
  const origin = viewer.viewport.imageToViewerElementCoordinates(
    new OpenSeadragon.Point(0, 0),
  );
  const corner = viewer.viewport.imageToViewerElementCoordinates(
    new OpenSeadragon.Point(widthPx, 0),
  );
  return {
    screenPxPerBasePx: (corner.x - origin.x) / widthPx,
    offsetScreenX: origin.x,
    offsetScreenY: origin.y,
  };
}

/** The viewer element's size in CSS pixels. */
export function viewerScreenSize(viewer: OpenSeadragon.Viewer): ScreenSize {
  const size = viewer.viewport.getContainerSize();
  return { widthPx: size.x, heightPx: size.y };
}

/** Animates the view to show `baseRect` (level-0 px) with a margin around it. */
export function flyToBaseRect(viewer: OpenSeadragon.Viewer, baseRect: Rect): void {
  const MARGIN = 0.15;
  const padded = new OpenSeadragon.Rect(
    baseRect.x - baseRect.width * MARGIN,
    baseRect.y - baseRect.height * MARGIN,
    baseRect.width * (1 + 2 * MARGIN),
    baseRect.height * (1 + 2 * MARGIN),
  );
  viewer.viewport.fitBounds(viewer.viewport.imageToViewportRectangle(padded));
}

const VIEW_EVENTS = [
  'open',
  'animation',
  'animation-finish',
  'resize',
  'update-viewport',
] as const;

/** Calls `listener` on every viewport change; returns the unsubscribe function. */
export function onViewChange(
  viewer: OpenSeadragon.Viewer,
  listener: () => void,
): () => void {
  const handler = () => listener();
  for (const name of VIEW_EVENTS) viewer.addHandler(name, handler);
  return () => {
    for (const name of VIEW_EVENTS) viewer.removeHandler(name, handler);
  };
}
