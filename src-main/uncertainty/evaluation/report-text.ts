/**
 * Formats an {@link EvaluationReport} as plain text for the terminal and README.
 * Every figure line reads `<figure> [<data>]: <value>` so tests can find each one.
 */
import { CONFORMAL_COVERAGE_STATEMENT } from '../../../src-shared/verdict';
import type { CalibrationRow, ConformalRow } from './evaluation-figures';
import type { OodRow } from './ood-evaluation';
import type { EvaluationReport } from './run-evaluation';

const GOALS = { ece: 0.02, coverageSlack: 0.02, auroc: 0.95 } as const;

function fixed(value: number, digits = 4): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

function calibrationLines(row: CalibrationRow): string[] {
  const data = `${row.head} | ${row.data} | n=${row.samples} | T=${fixed(row.temperature, 3)}`;
  return (['ece', 'nll', 'brier'] as const).map(
    (figure) =>
      `${figure} [${data}]: before ${fixed(row.before[figure])} after ${fixed(row.after[figure])}`,
  );
}

function conformalLines(row: ConformalRow, classNames: Record<number, string>): string[] {
  const mode = row.isClassConditional ? 'class-conditional' : 'marginal';
  const label = `${row.score} ${mode} alpha=${row.alpha}`;
  const head = `coverage [${label}]: ${fixed(row.coverage)} (nominal ${fixed(1 - row.alpha, 2)}) mean set size ${fixed(row.meanSetSize, 3)}`;
  const perClass = row.perClass.map(
    (c) =>
      `coverage [${label} | class ${classNames[c.classIndex] ?? c.classIndex} n=${c.samples}]: ` +
      `${fixed(c.coverage)} mean set size ${fixed(c.meanSetSize, 3)}`,
  );
  return [head, ...perClass];
}

function oodLine(row: OodRow): string {
  return (
    `ood auroc [${row.kind} n=${row.samples}]: ${fixed(row.auroc)} fpr@95tpr ${fixed(row.fprAt95Tpr)} ` +
    `beyond threshold ${fixed(row.beyondThreshold, 3)} quality-flagged ${fixed(row.qualityFlagged, 3)} ` +
    `caught ${fixed(row.caught, 3)}`
  );
}

function goalLines(report: EvaluationReport): string[] {
  const after = report.calibration
    .map((r) => `${r.head} ${fixed(r.after.ece)}`)
    .join(', ');
  const worstGap = Math.max(
    ...report.conformal
      .filter((r) => !r.isClassConditional)
      .map((r) => Math.abs(r.coverage - (1 - r.alpha))),
  );
  const pooled = report.ood.rows.find((r) => r.kind === 'all synthetic');
  return [
    `goal ECE <= ${GOALS.ece} after scaling: ${after}`,
    `goal marginal coverage within ${GOALS.coverageSlack} of nominal: worst gap ${fixed(worstGap)}`,
    `goal OOD AUROC >= ${GOALS.auroc} (all synthetic): ${pooled ? fixed(pooled.auroc) : 'not measured'}`,
  ];
}

/** The full text report. */
export function formatReport(report: EvaluationReport): string {
  const lines = [
    `Uncertainty evaluation of ${report.bundle.id} ${report.bundle.version}${report.isSubset ? ' (SUBSET: for tests, not for figures)' : ''}`,
    `Held-out typed tiles (bundle test split): ${report.data.typedTest.join(', ')}`,
    `MoNuSeg test tiles (never used by training): ${report.data.monusegTest.join(', ')}`,
    '',
    'Calibration (ECE 15 bins, NLL nats, Brier), before and after temperature scaling:',
    ...report.calibration.flatMap(calibrationLines),
    `np temperature refitted on monuseg/test (comparison only): ${fixed(report.heldOutOptimalTemperature.np, 3)}`,
    `nt temperature refitted (Brier) on the typed test split's nuclei (comparison only): ${
      report.heldOutOptimalTemperature.nt === null
        ? 'no typed nuclei'
        : fixed(report.heldOutOptimalTemperature.nt, 3)
    }`,
    '',
    `Conformal sets on held-out nuclei (scores from the bundle: ${report.conformalSplit}):`,
    ...report.conformal.flatMap((row) => conformalLines(row, report.classNames)),
    CONFORMAL_COVERAGE_STATEMENT,
    '',
    `OOD (Mahalanobis on the tile embedding; threshold ${report.ood.thresholdQuantile} = ${fixed(report.ood.threshold, 3)}):`,
    `in-domain: ${report.ood.inDomain.monusegTiles} MoNuSeg test tiles + ${report.ood.inDomain.slideTiles} CMU-1 tissue tiles read through the slide layer; false alarm rate ${fixed(report.ood.inDomain.falseAlarmRate, 3)} (${fixed(report.ood.inDomain.coldStart.falseAlarmRate, 3)} at the cold-start profile's ${report.ood.inDomain.coldStart.quantile} = ${fixed(report.ood.inDomain.coldStart.threshold, 3)}, what a new site starts with), quality-flagged ${fixed(report.ood.inDomain.qualityFlagRate, 3)}`,
    `in-domain distance median ${fixed(report.ood.inDomain.distanceQ50, 3)}, q95 ${fixed(report.ood.inDomain.distanceQ95, 3)}; bundle reference ${Object.entries(
      report.ood.referenceDistances,
    )
      .map(([k, v]) => `${k} ${fixed(v, 3)}`)
      .join(', ')}`,
    'out-of-domain: synthetic tiles made from those (blank glass, blur sigma 4 px, pen marks, greyscale, IHC-like DAB recolouring) and synthetic non-tissue images (noise, gradient, text-like); no real photographs.',
    ...report.ood.rows.map(oodLine),
    '',
    ...goalLines(report),
  ];
  return `${lines.join('\n')}\n`;
}
