/**
 * The nuclei evaluation as text: the data and bundle named first, then one row per
 * image, the means (the figures to quote), per-class figures and timings.
 */
import type { ClassFigures } from './image-scores';
import type { ImageReport, NucleiEvaluationReport } from './evaluation-report';
import type { ClassSummary } from './score-summary';

const HEADER =
  'image'.padEnd(28) +
  ['true', 'pred'].map((h) => h.padStart(6)).join('') +
  ['PQ', 'DQ', 'SQ', 'AJI', 'F1', 'P', 'R'].map((h) => h.padStart(7)).join('') +
  '  bundle split';

/** The whole report as lines of text, ending in a newline. */
export function formatNucleiReport(report: NucleiEvaluationReport): string {
  const names = classNames(report);
  const lines = [
    ...describeRun(report),
    '',
    HEADER,
    ...report.perImage.flatMap((image) => formatImage(image, names)),
    '',
    ...formatSummary(report, names),
    ...formatBundleUse(report),
    formatTiming(report),
  ];
  return `${lines.join('\n')}\n`;
}

function classNames(report: NucleiEvaluationReport): Map<number, string> {
  return new Map(report.data.scoredClasses.map((c) => [c.index, c.name]));
}

function describeRun(report: NucleiEvaluationReport): string[] {
  const { data, bundle, resolution, matching } = report;
  const hashes = bundle.graphFiles.map((g) => `${g.path} sha256 ${g.sha256}`).join(', ');
  return [
    "Nuclei segmentation of the app's pipeline (tiles, core ownership, " +
      'one post-processing pass per image)',
    `data: ${data.folder} (${data.dataset}): ${data.imageCount} images, ` +
      `${data.truthNucleusCount} true nuclei; labels: ${data.labelFormats.join(', ')}; ` +
      `types: ${data.typeScheme}`,
    `bundle: ${bundle.id} ${bundle.version}; ${hashes}; tiles ${bundle.tileSizePx} px, ` +
      `overlap ${bundle.overlapPx} px`,
    describeResolution(resolution, bundle.targetMpp),
    'scores are computed on the original labels, on the original pixel grid',
    `detection radius: ${fixed(matching.radiusPx, 2)} px ` +
      `(${fixed(matching.radiusMicrons, 2)} um at ${resolution.imageMpp} mpp)`,
    'definitions:',
    ...Object.values(matching.definitions).map((text) => `  ${text}`),
  ];
}

function describeResolution(
  resolution: NucleiEvaluationReport['resolution'],
  targetMpp: number,
): string {
  const { imageMpp, simulatedMpp, isImageMppAssumed } = resolution;
  const stated = isImageMppAssumed
    ? `images taken to be at ${imageMpp} mpp, the public tile sets' scale (not read from the files)`
    : `images at ${imageMpp} mpp (given)`;
  const resampled =
    imageMpp === targetMpp
      ? 'no resampling'
      : `resampled to the bundle's ${targetMpp} mpp, predicted labels mapped back by nearest neighbour`;
  const simulated =
    simulatedMpp === null
      ? ''
      : `; each image first area-downsampled to ${simulatedMpp} mpp and back up to its own grid`;
  return `mpp: ${stated}; ${resampled}${simulated}`;
}

function formatImage(image: ImageReport, names: Map<number, string>): string[] {
  const s = image.segmentation;
  const d = image.detection;
  const cells = s ? [s.pq, s.dq, s.sq, s.aji] : [null, null, null, null];
  const row =
    image.name.padEnd(28) +
    [image.truthCount, image.predictedCount].map((n) => String(n).padStart(6)).join('') +
    [...cells, d.f1, d.precision, d.recall].map((v) => cell(v)).join('') +
    `  ${image.bundleSplits.join(', ') || '-'}`;
  return [row, ...(image.classes ?? []).map((c) => formatImageClass(c, names))];
}

function formatImageClass(figures: ClassFigures, names: Map<number, string>): string {
  const name = names.get(figures.classIndex) ?? String(figures.classIndex);
  const pq = figures.panoptic ? fixed(figures.panoptic.pq) : 'n/a';
  return (
    `    class ${name}: true ${figures.truthCount} pred ${figures.predictedCount}` +
    `${ignored(figures.ignoredCount)} PQ ${pq} F1 ${fixed(figures.detection.f1)}`
  );
}

function formatSummary(
  report: NucleiEvaluationReport,
  names: Map<number, string>,
): string[] {
  const { summary } = report;
  const s = summary.segmentation;
  const m = summary.meanDetection;
  const p = summary.pooledDetection;
  const segmentation = s
    ? `PQ ${fixed(s.pq)} DQ ${fixed(s.dq)} SQ ${fixed(s.sq)} AJI ${fixed(s.aji)}` +
      (s.imageCount < summary.imageCount
        ? ` (PQ and AJI over ${s.imageCount} images)`
        : '')
    : 'PQ, DQ, SQ, AJI n/a (point labels)';
  const lines = [
    `mean over ${summary.imageCount} images: ${segmentation}; detection F1 ${fixed(m.f1)} ` +
      `(P ${fixed(m.precision)} R ${fixed(m.recall)})`,
    `pooled detection over ${p.truthCount} true and ${p.predictedCount} predicted nuclei: ` +
      `F1 ${fixed(p.f1)} (P ${fixed(p.precision)} R ${fixed(p.recall)})`,
  ];
  if (!summary.classes) return [...lines, 'per class: n/a (no typed labels)'];
  return [...lines, 'per class:', ...summary.classes.map((c) => formatClass(c, names))];
}

function formatClass(summary: ClassSummary, names: Map<number, string>): string {
  const name = names.get(summary.classIndex) ?? String(summary.classIndex);
  const pq =
    summary.meanPq === null
      ? 'PQ n/a'
      : `mean PQ ${fixed(summary.meanPq)} over ${summary.pqImageCount} images`;
  return (
    `  ${summary.classIndex} ${name}: true ${summary.truthCount} pred ` +
    `${summary.predictedCount}${ignored(summary.ignoredCount)}; ${pq}; pooled F1 ` +
    `${fixed(summary.pooledDetection.f1)} (P ${fixed(summary.pooledDetection.precision)} ` +
    `R ${fixed(summary.pooledDetection.recall)})`
  );
}

function formatBundleUse(report: NucleiEvaluationReport): string[] {
  const { seenImageCount, seenBySplit, imageCount } = report.data;
  if (seenImageCount === 0) {
    return [
      `bundle data use: none of the ${imageCount} images is named by the bundle's ` +
        'training, validation or calibration splits',
    ];
  }
  const splits = Object.entries(seenBySplit)
    .map(([split, count]) => `${split} ${count}`)
    .join(', ');
  return [
    `WARNING: ${seenImageCount} of ${imageCount} images helped build the bundle ` +
      `(${splits}): these figures are not held-out figures`,
  ];
}

function formatTiming(report: NucleiEvaluationReport): string {
  const t = report.timing;
  return (
    `time: wall ${fixed(t.wallMs / 1000, 1)} s; model ${fixed(t.msPerModelTile, 1)} ms per ` +
    `${report.bundle.tileSizePx} px tile (${t.modelTileCount} tiles, batches of ` +
    `${t.batchSize}, ${t.threads} threads); post-processing ${fixed(t.postprocessMs / 1000, 1)} s`
  );
}

function ignored(count: number): string {
  return count > 0 ? ` (${count} on nuclei of unknown type left out)` : '';
}

function cell(value: number | null): string {
  return (value === null ? 'n/a' : fixed(value)).padStart(7);
}

function fixed(value: number, digits = 3): string {
  return value.toFixed(digits);
}
