/**
 * The top of the workspace: slide name, verdict with its reasons, organ, bundle, and
 * whether the triage thresholds are still the site's cold-start defaults.
 */
import type { AnalysisSummary } from '../../src-shared/ipc-result-schemas';
import type { SlideDetails } from '../../src-shared/ipc-schemas';
import { VERDICT_REASON_TEXT, type VerdictReason } from '../../src-shared/verdict';
import { formatCount } from '../library/library-format';
import { IntendedUseNotice } from './IntendedUseNotice';
import { VerdictBadge } from './VerdictBadge';

function reasonText(reason: VerdictReason): string {
  const measured = reason.value !== null ? ` Measured ${reason.value.toFixed(2)}` : '';
  const limit =
    reason.threshold !== null ? `, limit ${reason.threshold.toFixed(2)}.` : '';
  return `${VERDICT_REASON_TEXT[reason.code]}${measured}${limit}`;
}

/** Shown while the site profile is the conservative starting one. */
export const COLD_START_TEXT =
  'Cold start: thresholds are conservative defaults, not yet fitted to this site';

function ColdStartNotice(props: { profile: AnalysisSummary['siteProfile'] }) {
  const { profile } = props;
  if (!profile?.isColdStart) return null;
  return (
    <p className="cold-start-notice" role="note" aria-label="Site profile">
      {COLD_START_TEXT} (site profile {profile.siteId} v{profile.version}).
    </p>
  );
}

function AnalysisFacts(props: { summary: AnalysisSummary }) {
  const { summary } = props;
  const organ = summary.organ
    ? `${summary.organ.name} (${(summary.organ.probability * 100).toFixed(0)}%)`
    : 'no organ head';
  return (
    <>
      <span>
        {formatCount(summary.nucleusCount)} nuclei · organ: {organ}
      </span>
      <IntendedUseNotice
        bundle={{
          id: summary.bundleId,
          version: summary.bundleVersion,
          intendedUse: summary.intendedUse,
        }}
        bundleError={null}
      />
      <ColdStartNotice profile={summary.siteProfile} />
      {summary.reasons.length > 0 ? (
        <ul className="verdict-reasons" aria-label="Why this verdict">
          {summary.reasons.map((reason, index) => (
            <li key={index}>{reasonText(reason)}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** The header; `summary` null when the slide has no finished analysis. */
export function SlideHeader(props: {
  slide: SlideDetails;
  summary: AnalysisSummary | null;
  onBack: () => void;
}) {
  const { slide, summary } = props;
  return (
    <header className="slide-header">
      <button type="button" onClick={props.onBack}>
        ← Slides
      </button>
      <h1>{slide.displayName}</h1>
      <VerdictBadge verdict={summary?.verdict ?? null} />
      {summary ? (
        <AnalysisFacts summary={summary} />
      ) : (
        <span className="muted">
          Not analysed yet: the slide can be viewed; no overlays.
        </span>
      )}
    </header>
  );
}
