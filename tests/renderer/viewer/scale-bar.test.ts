import { describe, expect, it } from 'vitest';
import {
  chooseScaleBar,
  formatCursorPosition,
} from '../../../src-renderer/viewer/scale-bar';

describe('chooseScaleBar', () => {
  it('returns no bar when the slide has no mpp', () => {
    expect(
      chooseScaleBar({ mppX: null, screenPxPerBasePx: 1, maxLengthScreenPx: 160 }),
    ).toBeNull();
  });

  it('picks the longest 1-2-5 length in micrometres that fits', () => {
    // 0.5 µm/px at full resolution: 160 px span 80 µm, so the bar is 50 µm = 100 px.
    const bar = chooseScaleBar({
      mppX: 0.5,
      screenPxPerBasePx: 1,
      maxLengthScreenPx: 160,
    });
    expect(bar).toEqual({ lengthScreenPx: 100, label: '50 µm' });
  });

  it('switches to millimetres when zoomed far out', () => {
    const bar = chooseScaleBar({
      mppX: 0.5,
      screenPxPerBasePx: 0.01,
      maxLengthScreenPx: 160,
    });
    expect(bar?.label).toBe('5 mm');
    expect(bar?.lengthScreenPx).toBeCloseTo(100);
  });
});

describe('formatCursorPosition', () => {
  it('gives micrometres when the slide is calibrated', () => {
    expect(formatCursorPosition({ baseX: 100, baseY: 20, mppX: 0.25, mppY: 0.5 })).toBe(
      'x 25.0 µm, y 10.0 µm',
    );
  });

  it('gives pixels and says uncalibrated when the slide has no mpp', () => {
    expect(
      formatCursorPosition({ baseX: 100.4, baseY: 20.6, mppX: null, mppY: null }),
    ).toBe('x 100 px, y 21 px (uncalibrated)');
  });
});
