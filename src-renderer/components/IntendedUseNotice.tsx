/**
 * Always-visible statement of what the bundle is for, and that the app assists
 * and never diagnoses.
 */
import type { BundleBrief } from '../../src-shared/ipc-result-schemas';

const USE_WORDS: Readonly<Record<BundleBrief['intendedUse'], string>> = {
  'pre-triage': 'Pre-triage',
  full: 'Triage',
};

/** What the notice needs to know about a bundle. */
export interface BundleUse {
  id: string;
  version: string;
  /** `null` when the bundle is not the one loaded now, so its use is unknown. */
  intendedUse: BundleBrief['intendedUse'] | null;
}

/** The notice; `bundle` null says no model is loaded and why. */
export function IntendedUseNotice(props: {
  bundle: BundleUse | null;
  bundleError: string | null;
}) {
  if (!props.bundle) {
    return (
      <p className="intended-use intended-use-missing" role="status">
        No model loaded{props.bundleError ? `: ${props.bundleError}` : ''}. Slides can be
        viewed, not analysed.
      </p>
    );
  }
  const use = props.bundle.intendedUse
    ? USE_WORDS[props.bundle.intendedUse]
    : 'Intended use unknown';
  return (
    <p className="intended-use" role="note" aria-label="Intended use">
      <strong>{use}</strong> · {props.bundle.id} {props.bundle.version} · Assists the
      pathologist, never diagnoses.
    </p>
  );
}
