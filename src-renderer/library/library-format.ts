/**
 * Pure rules of the slide library: triage order and the words for progress.
 */
import type { SlideSummary } from '../../src-shared/ipc-schemas';

/**
 * Triage order groups: slides whose model output must not be trusted first (a
 * pathologist reads them unaided), then those needing review, then reliable ones,
 * then work in progress, failures and slides not yet analysed. Oldest first within
 * a group, so nothing waits forever.
 */
function triageGroup(slide: SlideSummary): number {
  const analysis = slide.latestAnalysis;
  if (!analysis) return 6;
  if (analysis.status === 'done') {
    if (analysis.verdict === 'out-of-domain') return 0;
    if (analysis.verdict === 'review') return 1;
    if (analysis.verdict === 'reliable') return 2;
    return 3;
  }
  if (analysis.status === 'running' || analysis.status === 'queued') return 4;
  return 5;
}

/** The slides in triage order (a new array; the input is not changed). */
export function sortByTriagePriority(slides: readonly SlideSummary[]): SlideSummary[] {
  return [...slides].sort(
    (a, b) => triageGroup(a) - triageGroup(b) || a.addedAt.localeCompare(b.addedAt),
  );
}

/** "about 3 min left", "about 40 s left", or "estimating…" while the rate is unknown. */
export function formatEta(etaSeconds: number | null): string {
  if (etaSeconds === null || !Number.isFinite(etaSeconds)) return 'estimating time left…';
  if (etaSeconds < 60) return `about ${Math.max(1, Math.round(etaSeconds))} s left`;
  if (etaSeconds < 3600) return `about ${Math.round(etaSeconds / 60)} min left`;
  const hours = Math.floor(etaSeconds / 3600);
  const minutes = Math.round((etaSeconds % 3600) / 60);
  return `about ${hours} h ${minutes} min left`;
}

/** A count with thin-space thousands separators (locale-free, so tests are stable). */
export function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** The file name of a path, for display only (Windows or POSIX separators). */
export function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
