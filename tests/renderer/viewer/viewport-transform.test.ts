import { describe, expect, it } from 'vitest';
import {
  baseToClip,
  baseToScreenPoint,
  screenToBasePoint,
  visibleBaseRect,
} from '../../../src-renderer/viewer/viewport-transform';

const transform = { screenPxPerBasePx: 0.5, offsetScreenX: -100, offsetScreenY: 20 };

describe('viewport-transform', () => {
  it('maps a level-0 point to the screen and back to the same point', () => {
    const screen = baseToScreenPoint(transform, { x: 1000, y: 400 });
    expect(screen).toEqual({ x: 400, y: 220 });
    expect(screenToBasePoint(transform, screen)).toEqual({ x: 1000, y: 400 });
  });

  it('reports the visible level-0 rectangle of the canvas', () => {
    expect(visibleBaseRect(transform, { widthPx: 800, heightPx: 600 })).toEqual({
      x: 200,
      y: -40,
      width: 1600,
      height: 1200,
    });
  });

  it('puts the canvas corners at the clip-space corners with y pointing up', () => {
    const screenSize = { widthPx: 800, heightPx: 600 };
    const clip = baseToClip(transform, screenSize);
    const topLeft = visibleBaseRect(transform, screenSize);
    const bottomRight = { x: topLeft.x + topLeft.width, y: topLeft.y + topLeft.height };
    expect(topLeft.x * clip.scaleX + clip.offsetX).toBeCloseTo(-1);
    expect(topLeft.y * clip.scaleY + clip.offsetY).toBeCloseTo(1);
    expect(bottomRight.x * clip.scaleX + clip.offsetX).toBeCloseTo(1);
    expect(bottomRight.y * clip.scaleY + clip.offsetY).toBeCloseTo(-1);
  });
});
