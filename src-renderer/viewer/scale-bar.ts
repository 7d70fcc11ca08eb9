/**
 * Chooses a scale bar length that reads as a round number of micrometres. A slide
 * without a calibration gets no bar at all: a guessed scale would mislead.
 */

/** A bar to draw: its length on screen and the label it carries. */
export interface ScaleBarSpec {
  lengthScreenPx: number;
  label: string;
}

const ROUND_STEPS = [1, 2, 5];

/** The largest 1-2-5 series value that is at most `limit` (for `limit` > 0). */
function largestRoundBelow(limit: number): number {
  const decade = 10 ** Math.floor(Math.log10(limit));
  let best = decade;
  for (const step of ROUND_STEPS) {
    if (step * decade <= limit) best = step * decade;
  }
  return best;
}

/** Formats micrometres with mm above 1000 µm. */
export function formatMicrons(microns: number): string {
  if (microns >= 1000) return `${microns / 1000} mm`;
  return `${microns} µm`;
}

/**
 * A scale bar no longer than `maxLengthScreenPx`, or `null` when the slide has no
 * mpp (`mppX` null) or the zoom is not finite.
 */
export function chooseScaleBar(options: {
  mppX: number | null;
  screenPxPerBasePx: number;
  maxLengthScreenPx: number;
}): ScaleBarSpec | null {
  const { mppX, screenPxPerBasePx, maxLengthScreenPx } = options;
  if (mppX === null || !(mppX > 0) || !(screenPxPerBasePx > 0)) return null;

  const micronsPerScreenPx = mppX / screenPxPerBasePx;
  const maxMicrons = maxLengthScreenPx * micronsPerScreenPx;
  if (!Number.isFinite(maxMicrons) || maxMicrons <= 0) return null;

  const microns = largestRoundBelow(maxMicrons);
  return { lengthScreenPx: microns / micronsPerScreenPx, label: formatMicrons(microns) };
}

/**
 * The cursor position as text: micrometres from the slide's top-left when
 * calibrated, level-0 pixels (labelled px) when not.
 */
export function formatCursorPosition(options: {
  baseX: number;
  baseY: number;
  mppX: number | null;
  mppY: number | null;
}): string {
  const { baseX, baseY, mppX, mppY } = options;
  if (mppX === null || mppY === null) {
    return `x ${Math.round(baseX)} px, y ${Math.round(baseY)} px (uncalibrated)`;
  }
  const xMicrons = (baseX * mppX).toFixed(1);
  const yMicrons = (baseY * mppY).toFixed(1);
  return `x ${xMicrons} µm, y ${yMicrons} µm`;
}
