/**
 * `export <slide-or-analysis>`: writes an analysis's nuclei as QuPath-style
 * GeoJSON or as CSV. The argument is an analysis id, or a slide file whose
 * latest finished analysis is exported (the slide is found by content, so a
 * moved or renamed file still matches). Outputs never name the slide file.
 */
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../../src-shared/errors';
import { exportCsv } from '../../export/csv-export';
import { EXPORT_SOURCES } from '../../export/export-sources';
import { exportGeoJson } from '../../export/geojson-export';
import { closeAllSlides, openSlide } from '../../slides/open-slide';
import { computeSlideContentId, defaultDatabasePath, openStore } from '../../store/index';
import type { ResultStore } from '../../store/index';
import { printJson, type CliCommand, type CliIo } from '../command-registry';

type ExportFormat = 'geojson' | 'csv';

/** Options of `export`, after parsing. */
export interface ExportOptions {
  format: ExportFormat;
  db?: string;
  out?: string;
}

function exportFormat(text: string): ExportFormat {
  if (text === 'geojson' || text === 'csv') return text;
  throw new InvalidArgumentError('expected geojson or csv');
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
      'This slide has not been analysed on this workstation.',
    );
  }
  const finished = store.listAnalyses(slide.id).find((a) => a.status === 'done');
  if (!finished) {
    throw new AppError(
      'ANALYSIS_NOT_FOUND',
      'This slide has no finished analysis; run or resume the analysis first, or pass an analysis id.',
    );
  }
  return finished.id;
}

/** Resolves the target, writes the file and reports what was written. */
export async function runExport(
  target: string,
  options: ExportOptions,
  io: CliIo,
): Promise<void> {
  const store = openStore(options.db ?? defaultDatabasePath());
  try {
    const analysisId = /^\d+$/.test(target)
      ? Number(target)
      : await analysisOfSlide(store, target);
    const analysis = store.getAnalysis(analysisId);
    const contentId = store.getSlide(analysis.slideId).contentId;
    const outPath = path.resolve(
      options.out ??
        `slide-${contentId.slice(0, 12)}-analysis-${analysisId}.${options.format}`,
    );

    const write = options.format === 'csv' ? exportCsv : exportGeoJson;
    const count = await write({
      store,
      analysisId,
      outPath,
      extraSources: EXPORT_SOURCES,
    });
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
      status: analysis.status,
      format: options.format,
      nucleusCount: analysis.nucleusCount,
      written: count,
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
      .description('Write the nuclei of an analysis as QuPath GeoJSON or CSV.')
      .argument(
        '<slide-or-analysis>',
        'analysis id, or slide file (its latest finished analysis)',
      )
      .requiredOption('--format <format>', 'geojson or csv', exportFormat)
      .option(
        '--db <path>',
        'results database (default: CELLVIT_DB or the app-data folder)',
      )
      .option('--out <file>', 'output file (default: named after the slide content id)')
      .action((target: string, options: ExportOptions) => runExport(target, options, io));
  },
};
