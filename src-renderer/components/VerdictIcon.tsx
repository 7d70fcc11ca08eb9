/**
 * The icon of each verdict, drawn inline (no icon font: the app is offline). The
 * icon always comes with the verdict's words; it is never the only cue.
 */
import type { VerdictPresentation } from '../../src-shared/verdict';

const PATHS: Readonly<Record<VerdictPresentation['icon'], string>> = {
  'check-circle':
    'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1.5 14.5-4-4 1.4-1.4 2.6 2.6 5.6-5.6 1.4 1.4z',
  eye: 'M12 5C6.5 5 2.7 9.1 1.5 12c1.2 2.9 5 7 10.5 7s9.3-4.1 10.5-7C21.3 9.1 17.5 5 12 5zm0 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm0-2.2a1.8 1.8 0 1 0 0-3.6 1.8 1.8 0 0 0 0 3.6z',
  ban: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 0 1 6.3 12.9L7.1 5.7A8 8 0 0 1 12 4zm0 16a8 8 0 0 1-6.3-12.9l11.2 11.2A8 8 0 0 1 12 20z',
};

/** A verdict icon in the given colour; decorative, its words are next to it. */
export function VerdictIcon(props: {
  icon: VerdictPresentation['icon'];
  colorHex: string;
  sizePx?: number;
}) {
  const size = props.sizePx ?? 16;
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[props.icon]} fill={props.colorHex} fillRule="evenodd" />
    </svg>
  );
}
