/**
 * CSV export: one row per nucleus with its id, tile, the verdict of the region its
 * tile belongs to (as the triage counted it), centroid (level-0 px), area, type,
 * probabilities, entropies (in nats) and its provenance (analysis, slide content
 * hash, bundle). The area column is `area_um2` on a calibrated slide and `area_px2`
 * otherwise, so a value is never read in the wrong unit; the verdict is empty before
 * triage.
 */
import { createLogger } from '../logging/logger';
import type { ResultStore } from '../store/index';
import { readRegionVerdicts } from '../store/triage-region-reads';
import { openExportFile } from './export-file';
import { exportContext, exportNuclei, round } from './export-nuclei';
import type { ExportContext, ExportNucleus } from './export-nuclei';
import type { Verdict } from '../../src-shared/verdict';
import { regionVerdictLookup } from './region-verdict-lookup';

const log = createLogger('export');
const FLUSH_CHARS = 1 << 16;

/** Options of {@link exportCsv}. */
export interface CsvExportOptions {
  store: ResultStore;
  analysisId: number;
  outPath: string;
}

/** Quotes a field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function classSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/**
 * Columns repeated on every row so that a row keeps its provenance when the table is
 * renamed, split or merged with others: the analysis, the slide by content hash (never
 * by name), and the bundle by id, version and identity hash.
 */
const PROVENANCE_COLUMNS = [
  'analysis_id',
  'slide_content_id',
  'bundle_id',
  'bundle_version',
  'bundle_sha256',
];

function provenanceFields(context: ExportContext): string[] {
  const { analysis, slide } = context;
  const { bundle } = analysis;
  return [String(analysis.id), slide.contentId, bundle.id, bundle.version, bundle.sha256];
}

function header(context: ExportContext): string {
  const columns = [
    'id',
    'tile_index',
    'region_verdict',
    'centroid_x_px',
    'centroid_y_px',
  ];
  columns.push(context.micronsSquaredPerPx === null ? 'area_px2' : 'area_um2');
  columns.push('type_index', 'type_name', 'nucleus_probability', 'nucleus_entropy_nats');
  if (context.classes.size > 0) columns.push('type_entropy_nats');
  for (const typeClass of context.classes.values())
    columns.push(`p_${classSlug(typeClass.name)}`);
  columns.push(...PROVENANCE_COLUMNS);
  return columns.map(csvField).join(',');
}

function row(
  nucleus: ExportNucleus,
  context: ExportContext,
  verdictOfTile: ReadonlyMap<number, Verdict | null>,
): string {
  const fields: Array<string | number> = [
    nucleus.id,
    nucleus.tileIndex,
    verdictOfTile.get(nucleus.tileIndex) ?? '',
    round(nucleus.centroidBaseX, 2),
    round(nucleus.centroidBaseY, 2),
    nucleus.areaMicrons2 === null
      ? round(nucleus.areaPx, 2)
      : round(nucleus.areaMicrons2, 3),
    nucleus.typeIndex,
    nucleus.typeClass?.name ?? '',
    round(nucleus.nucleusProbability, 4),
    round(nucleus.nucleusEntropy, 4),
  ];
  if (context.classes.size > 0) fields.push(round(nucleus.typeEntropy, 4));
  for (const index of context.classes.keys()) {
    fields.push(round(nucleus.typeProbabilities[index] ?? 0, 4));
  }
  fields.push(...provenanceFields(context));
  return fields.map(csvField).join(',');
}

/**
 * The verdict of the region each tile belongs to: the region holding the tile's
 * centre, the membership the triage counted the tile's nuclei by.
 */
function tileVerdicts(
  store: ResultStore,
  analysisId: number,
): Map<number, Verdict | null> {
  const verdictAt = regionVerdictLookup(readRegionVerdicts(store.db, analysisId));
  const verdicts = new Map<number, Verdict | null>();
  for (const tile of store.listTileSummaries(analysisId)) {
    const { x, y, width, height } = tile.baseRect;
    verdicts.set(tile.tileIndex, verdictAt(x + width / 2, y + height / 2));
  }
  return verdicts;
}

/** Streams one row per nucleus to `outPath`; returns the row count. */
export async function exportCsv(options: CsvExportOptions): Promise<number> {
  const context = exportContext(options.store, options.analysisId);
  const verdictOfTile = tileVerdicts(options.store, options.analysisId);
  const file = openExportFile(options.outPath);
  let pending = `${header(context)}\n`;
  let count = 0;
  try {
    for (const nucleus of exportNuclei(context)) {
      pending += `${row(nucleus, context, verdictOfTile)}\n`;
      count++;
      if (pending.length >= FLUSH_CHARS) {
        await file.write(pending);
        pending = '';
      }
    }
    await file.write(pending);
    await file.finish();
  } catch (error) {
    await file.abort();
    throw error;
  }
  log.info('export.csv.done', { analysisId: options.analysisId, rowCount: count });
  return count;
}
