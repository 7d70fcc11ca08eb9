/**
 * Feature sources added to every GeoJSON export made by the command line and
 * the app, after the nuclei: the slide summary (as collection metadata), the
 * ranked ROIs and the verdict grid cells.
 */
import type { ExportContext } from './export-nuclei';
import type { ExportFeatureSource, GeoJsonFeature } from './geojson-export';
import { slideSummaryMetadata } from './slide-summary';
import { roiFeature, verdictCellFeature } from './triage-features';
import { readExportTriage } from './triage-results';

/** Options of {@link exportSources}. */
export interface ExportSourceOptions {
  /**
   * Also write Reliable grid cells. Off by default: on most slides nearly every
   * cell is Reliable, and those cells would add thousands of annotations that say
   * nothing a reader must act on; Review and Out-of-domain cells are always written.
   */
  includeReliableCells?: boolean;
}

function* triageFeatures(
  context: ExportContext,
  options: ExportSourceOptions,
): IterableIterator<GeoJsonFeature> {
  const triage = readExportTriage(context);
  if (!triage) return;
  for (const roi of triage.rois) yield roiFeature(roi, context, triage);
  for (const region of triage.regions) {
    if (region.verdict === 'reliable' && options.includeReliableCells !== true) continue;
    yield verdictCellFeature(region, context, triage);
  }
}

/** The triage source: summary metadata, then ROI annotations, then verdict cells. */
export function exportSources(options: ExportSourceOptions = {}): ExportFeatureSource[] {
  return [
    {
      name: 'triage',
      metadata: (context) => ({
        ...slideSummaryMetadata(context, readExportTriage(context)),
      }),
      features: (context) => triageFeatures(context, options),
    },
  ];
}

/** Sources appended to every GeoJSON export, in order, with the default options. */
export const EXPORT_SOURCES: ExportFeatureSource[] = exportSources();
