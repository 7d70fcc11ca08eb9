/**
 * Text forms of an analysis's progress and outcome, for the command line (and any
 * log a person reads). No paths or file names appear in them.
 */
import type { Rect } from '../../src-shared/geometry';
import { VERDICT_PRESENTATION, VERDICTS } from '../../src-shared/verdict';
import type { AnalysisProgress } from './analysis-progress';
import type { AnalysisOutcome } from './analysis-types';
import { STAGES } from './stage-clock';

const BAR_WIDTH = 30;

/** One progress-bar line: bar, tiles, percentage, rate, nuclei and time left. */
export function formatProgressLine(progress: AnalysisProgress): string {
  const fraction = progress.tilesTotal > 0 ? progress.tilesDone / progress.tilesTotal : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const eta =
    progress.etaSeconds === null ? '--' : formatDuration(progress.etaSeconds * 1000);
  return (
    `[${bar}] ${progress.tilesDone}/${progress.tilesTotal} tiles ` +
    `${(fraction * 100).toFixed(0)}% | ${progress.tilesPerSecond.toFixed(2)} tiles/s | ` +
    `${progress.nucleiStored} nuclei | ETA ${eta}   `
  );
}

/** Human duration: `1h02m`, `3m05s`, `12.3s`. */
export function formatDuration(durationMs: number): string {
  const seconds = durationMs / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

const END_TEXT: Record<AnalysisOutcome['end'], string> = {
  done: 'done',
  cancelled:
    'cancelled (finished tiles are kept; running the same command again continues ' +
    'from them)',
  'already-done':
    'already done with this slide, bundle and settings (use --force to re-run)',
};

/** The summary printed when a job ends. */
export function formatSummary(outcome: AnalysisOutcome): string {
  const lines = [
    `Analysis ${outcome.analysisId}: ${END_TEXT[outcome.end]}`,
    `Bundle: ${outcome.bundle.id} ${outcome.bundle.version}, identity hash ` +
      outcome.bundle.sha256.slice(0, 12),
    `Tiles: ${outcome.tilesRun} run this time, ${outcome.tilesTotal} in the plan`,
    `Nuclei: ${outcome.nucleusCount}`,
    ...Object.entries(outcome.countsByType)
      .sort(([, a], [, b]) => b - a)
      .map(([name, count]) => `  ${name}: ${count}`),
    `Pixel size: ${outcome.mpp.x.toFixed(4)} µm/px (${outcome.mpp.source})`,
    ...regionLines(outcome),
    ...(outcome.inference
      ? [`Execution providers: ${outcome.inference.executionProviders.join(', ')}`]
      : []),
    `Time: ${formatDuration(outcome.durationMs)}`,
    `Stage busy time: ${STAGES.map((s) => `${s} ${formatDuration(outcome.stageTimesMs[s])}`).join(', ')}`,
    `Peak memory: ${(outcome.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`,
    ...triageLines(outcome),
  ];
  return `${lines.join('\n')}\n`;
}

function regionLines(outcome: AnalysisOutcome): string[] {
  if (!outcome.region) return [];
  const text = ({ x, y, width, height }: Rect) => `${x},${y},${width},${height}`;
  const { analysed, asked } = outcome.region;
  const isCut = text(analysed) !== text(asked);
  return [
    `Region: ${text(analysed)} (level-0 px)` +
      (isCut ? `, cut at the slide's edge from the ${text(asked)} asked` : ''),
  ];
}

function verdictLabel(verdict: string): string {
  const known = VERDICTS.find((v) => v === verdict);
  return known ? VERDICT_PRESENTATION[known].label : verdict;
}

function triageLines(outcome: AnalysisOutcome): string[] {
  if (!outcome.triage) return ['Verdict: not available (no triage for this run)'];
  return [
    `Verdict: ${verdictLabel(outcome.triage.verdict)}`,
    ...outcome.triage.reasons.map((reason) => `  - ${reason}`),
    ...(outcome.triage.regionReasons.length > 0 ? ['Region reasons:'] : []),
    ...outcome.triage.regionReasons.map((reason) => `  - ${reason}`),
  ];
}
