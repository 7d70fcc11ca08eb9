/**
 * Keys the viewer answers: arrows (and WASD) pan by a fifth of the view, + and -
 * zoom by a fixed step, 0 returns home. Rotation keys are deliberately absent: the
 * overlays assume an unrotated view.
 */

/** What a key asks the viewer to do. */
export type ViewerKeyAction =
  | { kind: 'pan'; fractionX: number; fractionY: number }
  | { kind: 'zoom'; factor: number }
  | { kind: 'home' };

const PAN_FRACTION = 0.2;
const ZOOM_STEP = 1.5;

const ACTIONS: Readonly<Record<string, ViewerKeyAction>> = {
  ArrowLeft: { kind: 'pan', fractionX: -PAN_FRACTION, fractionY: 0 },
  ArrowRight: { kind: 'pan', fractionX: PAN_FRACTION, fractionY: 0 },
  ArrowUp: { kind: 'pan', fractionX: 0, fractionY: -PAN_FRACTION },
  ArrowDown: { kind: 'pan', fractionX: 0, fractionY: PAN_FRACTION },
  a: { kind: 'pan', fractionX: -PAN_FRACTION, fractionY: 0 },
  d: { kind: 'pan', fractionX: PAN_FRACTION, fractionY: 0 },
  w: { kind: 'pan', fractionX: 0, fractionY: -PAN_FRACTION },
  s: { kind: 'pan', fractionX: 0, fractionY: PAN_FRACTION },
  '+': { kind: 'zoom', factor: ZOOM_STEP },
  '=': { kind: 'zoom', factor: ZOOM_STEP },
  '-': { kind: 'zoom', factor: 1 / ZOOM_STEP },
  _: { kind: 'zoom', factor: 1 / ZOOM_STEP },
  '0': { kind: 'home' },
};

/** The action for a key (`KeyboardEvent.key`), or `null` when the viewer ignores it. */
export function viewerActionForKey(
  key: string,
  modifiers: { isCtrl: boolean; isAlt: boolean; isMeta: boolean },
): ViewerKeyAction | null {
  if (modifiers.isCtrl || modifiers.isAlt || modifiers.isMeta) return null;
  return ACTIONS[key] ?? null;
}
