import { describe, expect, it } from 'vitest';
import { viewerActionForKey } from '../../../src-renderer/viewer/keyboard-navigation';

const plain = { isCtrl: false, isAlt: false, isMeta: false };

describe('viewerActionForKey', () => {
  it('pans left on the left arrow', () => {
    expect(viewerActionForKey('ArrowLeft', plain)).toEqual({
      kind: 'pan',
      fractionX: -0.2,
      fractionY: 0,
    });
  });

  it('zooms in on plus and out on minus by reciprocal factors', () => {
    const zoomIn = viewerActionForKey('+', plain);
    const zoomOut = viewerActionForKey('-', plain);
    expect(
      zoomIn?.kind === 'zoom' &&
        zoomOut?.kind === 'zoom' &&
        zoomIn.factor * zoomOut.factor,
    ).toBeCloseTo(1);
  });

  it('goes home on 0', () => {
    expect(viewerActionForKey('0', plain)).toEqual({ kind: 'home' });
  });

  it('ignores keys pressed with Ctrl so browser shortcuts keep working', () => {
    expect(viewerActionForKey('+', { ...plain, isCtrl: true })).toBeNull();
  });

  it('has no rotation key because overlays assume an unrotated view', () => {
    expect(viewerActionForKey('r', plain)).toBeNull();
  });
});
