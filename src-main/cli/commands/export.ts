/**
 * `export <slide-or-analysis>`: writes an analysis as QuPath-style GeoJSON (nuclei,
 * ranked ROIs, non-Reliable verdict cells and the slide summary), as a CSV table
 * of nuclei, or as a JSON slide summary (verdict, reasons, counts, ROIs). ROIs and
 * verdicts are in the GeoJSON and the summary; the CSV holds nuclei only. The
 * argument is an analysis id, or a slide file whose latest finished whole-slide
 * analysis (else its latest finished analysis of a region) is exported; the slide
 * is found by content, so a moved or renamed file still matches. Outputs never
 * name the slide file, and say which region an analysis of a region covered.
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../../src-shared/errors';
import { exportCsv } from '../../export/csv-export';
import { exportSources } from '../../export/export-sources';
import { exportGeoJson } from '../../export/geojson-export';
import { exportSummary } from '../../export/summary-export';
import { closeAllSlides, openSlide } from '../../slides/open-slide';
import {
  computeSlideContentId,
  defaultDatabasePath,
  openExistingStore,
  StoreNotFoundError,
} from '../../store/index';
import { analysedRegionOf } from '../../store/analysis-region';
import type { ResultStore } from '../../store/index';
import { printJson, type CliCommand, type CliIo } from '../command-registry';
import { nonEmptyPath } from '../option-parsers';

const EXPORT_FORMATS = ['geojson', 'csv', 'summary'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File name ending per format, after the slide content id and analysis id. */
const FILE_ENDINGS: Readonly<Record<ExportFormat, string>> = {
  geojson: 'geojson',
  csv: 'csv',
  summary: 'summary.json',
};

/** File name endings `--out` may have, per format. */
const ALLOWED_ENDINGS: Readonly<Record<ExportFormat, readonly string[]>> = {
  geojson: ['.geojson', '.json'],
  csv: ['.csv'],
  summary: ['.json'],
};

/** Options of `export`, after parsing. */
export interface ExportOptions {
  format: ExportFormat;
  db?: string;
  out?: string;
  /** Replace a file already at the output path. */
  force?: boolean;
  /** GeoJSON only: also write the Reliable verdict cells. */
  reliableCells?: boolean;
}

function exportFormat(text: string): ExportFormat {
  const format = EXPORT_FORMATS.find((f) => f === text);
  if (format) return format;
  throw new InvalidArgumentError('expected geojson, csv or summary');
}

interface ExportTarget {
  store: ResultStore;
  analysisId: number;
  outPath: string;
}

/** Writes one file in `options.format`; returns its feature, row or ROI count. */
function writeExport(target: ExportTarget, options: ExportOptions): Promise<number> {
  if (options.format === 'csv') return exportCsv(target);
  if (options.format === 'summary') return exportSummary(target);
  const includeReliableCells = options.reliableCells === true;
  return exportGeoJson({
    ...target,
    extraSources: exportSources({ includeReliableCells }),
  });
}

async function analysisOfSlide(store: ResultStore, slidePath: string): Promise<number> {
  const reader = await openSlide(slidePath);
  const dims = { widthPx: reader.info.widthPx, heightPx: reader.info.heightPx };
  const contentId = await computeSlideContentId(slidePath, dims);
  await closeAllSlides();

  const slide = store.findSlideByContentId(contentId);
  if (!slide) {
    throw new AppError(
      'ANALYSIS_NOT_FOUND',
      'This slide has not been analysed into this results database (the workstation ' +
        'database unless --db names another); run analyze on it first.',
    );
  }
  // A whole-slide analysis speaks for the slide; one of a --region only when no
  // whole-slide analysis has finished (its summary then names the region).
  const finished = store.listAnalyses(slide.id).filter((a) => a.status === 'done');
  const chosen = finished.find((a) => analysedRegionOf(a, slide) === null) ?? finished[0];
  if (!chosen) {
    throw new AppError(
      'ANALYSIS_NOT_FOUND',
      'This slide has no finished analysis; run or resume the analysis first, or pass an analysis id.',
    );
  }
  return chosen.id;
}

/** The analysis with this id, or `ANALYSIS_NOT_FOUND` saying what the id can be. */
function analysisById(store: ResultStore, analysisId: number) {
  try {
    return store.getAnalysis(analysisId);
  } catch (error) {
    if (!(error instanceof StoreNotFoundError)) throw error;
    throw new AppError(
      'ANALYSIS_NOT_FOUND',
      `There is no analysis ${analysisId} in this results database; pass the id ` +
        "analyze printed, or the slide file for the slide's latest finished analysis.",
    );
  }
}

/**
 * Refuses an output path that does not end as the format's files do (so a slip in
 * `--out` can never write over a slide or another document) or that holds a file
 * already, unless `force`.
 */
export function checkOutputPath(outPath: string, options: ExportOptions): void {
  if (existsSync(outPath) && statSync(outPath).isDirectory()) {
    throw new AppError(
      'EXPORT_FAILED',
      '--out names a folder; give a file name in it. Nothing was written.',
    );
  }
  const endings = ALLOWED_ENDINGS[options.format];
  if (!endings.some((ending) => outPath.toLowerCase().endsWith(ending))) {
    throw new AppError(
      'EXPORT_FAILED',
      `--out must end in ${endings.join(' or ')} for --format ${options.format}; ` +
        'nothing was written.',
    );
  }
  if (!options.force && existsSync(outPath)) {
    const where =
      options.out === undefined
        ? `A file named ${path.basename(outPath)} (the default name) already exists ` +
          'in the current folder; analysis ids count per database, so an export from ' +
          'another database can hold it. Pass --out to choose a name, or --force'
        : 'A file already exists at --out; choose another name, or pass --force';
    throw new AppError('EXPORT_FAILED', `${where} to replace it. Nothing was written.`);
  }
}

/** Refuses options that the chosen format would silently ignore. */
function checkFormatOptions(options: ExportOptions): void {
  if (options.reliableCells && options.format !== 'geojson') {
    throw new AppError(
      'INVALID_OPTION',
      `--reliable-cells adds verdict cells to GeoJSON only; --format ${options.format} ` +
        'has no cells to add. Leave it out, or use --format geojson.',
    );
  }
}

/** What the count of written items counts, per format. */
const WRITTEN_ITEMS: Record<ExportFormat, string> = {
  geojson: 'features',
  csv: 'nuclei',
  summary: 'regions of interest',
};

/** Resolves the target, writes the file and reports what was written. */
export async function runExport(
  target: string,
  options: ExportOptions,
  io: CliIo,
): Promise<void> {
  checkFormatOptions(options);
  const store = openExistingStore(options.db ?? defaultDatabasePath());
  try {
    const analysisId = /^\d+$/.test(target)
      ? Number(target)
      : await analysisOfSlide(store, target);
    const analysis = analysisById(store, analysisId);
    const slide = store.getSlide(analysis.slideId);
    const contentId = slide.contentId;
    const ending = FILE_ENDINGS[options.format];
    const outPath = path.resolve(
      options.out ?? `slide-${contentId.slice(0, 12)}-analysis-${analysisId}.${ending}`,
    );
    checkOutputPath(outPath, options);

    const count = await writeExport({ store, analysisId, outPath }, options);
    // Exports carry clinical results off the workstation, so each one is audited.
    store.reviews.appendAudit({
      actor: os.userInfo().username,
      action: 'export.written',
      analysisId,
      details: { format: options.format, featureCount: count },
    });
    printJson(io, {
      analysisId,
      slideContentId: contentId,
      analysedRegionBase: analysedRegionOf(analysis, slide),
      status: analysis.status,
      format: options.format,
      nucleusCount: analysis.nucleusCount,
      written: count,
      writtenItems: WRITTEN_ITEMS[options.format],
      out: outPath,
    });
  } finally {
    store.close();
  }
}

/** The `export` subcommand, registered in `cli/main.ts`. */
export const exportCommand: CliCommand = {
  name: 'export',
  register(program: Command, io: CliIo) {
    program
      .command('export')
      .description(
        'Write an analysis as QuPath GeoJSON (nuclei, ROIs, verdict cells), a CSV of ' +
          'nuclei, or a JSON slide summary (verdict, reasons, counts, ROIs).',
      )
      .argument(
        '<slide-or-analysis>',
        'analysis id, or slide file (its latest finished whole-slide analysis, else ' +
          'its latest finished analysis of a region)',
      )
      .requiredOption('--format <format>', 'geojson, csv or summary', exportFormat)
      .option(
        '--db <path>',
        'results database (default: CELLVIT_DB or the app-data folder)',
        nonEmptyPath,
      )
      .option('--out <file>', 'output file (default: named after the slide content id)')
      .option('--reliable-cells', 'geojson: also write the Reliable verdict cells')
      .option('--force', 'replace a file already at the output path')
      .action((target: string, options: ExportOptions) => runExport(target, options, io));
  },
};
