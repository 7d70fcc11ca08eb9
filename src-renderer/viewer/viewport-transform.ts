/**
 * The mapping between level-0 slide pixels and the pixels of the viewer's canvas.
 * The viewer never rotates, so the mapping is a uniform scale plus an offset.
 */
import type { Point, Rect } from '../../src-shared/geometry';

/** `screenX = baseX * screenPxPerBasePx + offsetScreenX` (same for y). */
export interface BaseToScreen {
  /** Canvas CSS pixels per level-0 pixel (the zoom). */
  screenPxPerBasePx: number;
  /** Canvas x (CSS px) of level-0 x = 0. */
  offsetScreenX: number;
  /** Canvas y (CSS px) of level-0 y = 0. */
  offsetScreenY: number;
}

/** Size of a canvas in CSS pixels. */
export interface ScreenSize {
  widthPx: number;
  heightPx: number;
}

/** Maps a level-0 point to canvas CSS pixels. */
export function baseToScreenPoint(transform: BaseToScreen, basePoint: Point): Point {
  return {
    x: basePoint.x * transform.screenPxPerBasePx + transform.offsetScreenX,
    y: basePoint.y * transform.screenPxPerBasePx + transform.offsetScreenY,
  };
}

/** Maps a canvas CSS-pixel point to level-0 pixels. */
export function screenToBasePoint(transform: BaseToScreen, screenPoint: Point): Point {
  return {
    x: (screenPoint.x - transform.offsetScreenX) / transform.screenPxPerBasePx,
    y: (screenPoint.y - transform.offsetScreenY) / transform.screenPxPerBasePx,
  };
}

/** The level-0 rectangle the canvas shows (may extend past the slide's edges). */
export function visibleBaseRect(transform: BaseToScreen, screen: ScreenSize): Rect {
  const topLeft = screenToBasePoint(transform, { x: 0, y: 0 });
  return {
    x: topLeft.x,
    y: topLeft.y,
    width: screen.widthPx / transform.screenPxPerBasePx,
    height: screen.heightPx / transform.screenPxPerBasePx,
  };
}

/**
 * Scale and offset that take level-0 pixels to WebGL clip space (-1..1, y up), as
 * `clip = base * scale + offset`, for a canvas of `screen` CSS pixels.
 */
export function baseToClip(
  transform: BaseToScreen,
  screen: ScreenSize,
): { scaleX: number; scaleY: number; offsetX: number; offsetY: number } {
  const scaleX = (2 * transform.screenPxPerBasePx) / screen.widthPx;
  const scaleY = (-2 * transform.screenPxPerBasePx) / screen.heightPx;
  return {
    scaleX,
    scaleY,
    offsetX: (2 * transform.offsetScreenX) / screen.widthPx - 1,
    offsetY: 1 - (2 * transform.offsetScreenY) / screen.heightPx,
  };
}

/** Builds the transform from two corresponding points (level-0 origin and one base px away). */
export function transformFromOrigin(
  originScreen: Point,
  unitScreen: Point,
): BaseToScreen {
  return {
    screenPxPerBasePx: unitScreen.x - originScreen.x,
    offsetScreenX: originScreen.x,
    offsetScreenY: originScreen.y,
  };
}
