/**
 * The triage as GeoJSON in QuPath's conventions: each ranked ROI and each verdict
 * cell is an `annotation` with a rectangle in level-0 pixels, a classification
 * and numeric measurements; the structured result (priority, verdict, reasons)
 * is kept under `properties.cellvit`, which QuPath ignores and other tools read.
 */
import type { Rect } from '../../src-shared/geometry';
import {
  VERDICT_PRESENTATION,
  type RoiPriority,
  type Verdict,
} from '../../src-shared/verdict';
import type { RegionVerdictRecord } from '../store/triage-region-reads';
import { exportUuid, round, type ExportContext } from './export-nuclei';
import { hexToRgb, type GeoJsonFeature } from './geojson-export';
import { exportReason, type ExportRoi, type ExportTriage } from './triage-results';

// Priority colours are kept apart from the verdict colours (green, amber, red) so an
// ROI's rank is never read as a verdict in QuPath's class list.
const PRIORITY_COLOR_HEX: Readonly<Record<RoiPriority, string>> = {
  critical: '#6a1b9a',
  high: '#1565c0',
  medium: '#00838f',
  low: '#78909c',
};

/** A closed rectangular ring, clockwise in image axes (y down), level-0 pixels. */
export function rectanglePolygon(baseRect: Rect): Array<Array<[number, number]>> {
  const left = round(baseRect.x, 2);
  const top = round(baseRect.y, 2);
  const right = round(baseRect.x + baseRect.width, 2);
  const bottom = round(baseRect.y + baseRect.height, 2);
  return [
    [
      [left, top],
      [right, top],
      [right, bottom],
      [left, bottom],
      [left, top],
    ],
  ];
}

function verdictClassification(verdict: Verdict) {
  const presentation = VERDICT_PRESENTATION[verdict];
  return { name: presentation.label, color: hexToRgb(presentation.colorHex) };
}

/** The annotation of one ranked ROI, classified `ROI: <priority>`. */
export function roiFeature(
  roi: ExportRoi,
  context: ExportContext,
  triage: ExportTriage,
): GeoJsonFeature {
  const { baseRect, ...result } = roi;
  return {
    type: 'Feature',
    id: exportUuid(context, `roi/${triage.triageVersion}/${roi.rank}`),
    geometry: { type: 'Polygon', coordinates: rectanglePolygon(baseRect) },
    properties: {
      objectType: 'annotation',
      name: `ROI ${roi.rank} (${roi.priority})`,
      classification: {
        name: `ROI: ${roi.priority}`,
        color: hexToRgb(PRIORITY_COLOR_HEX[roi.priority]),
      },
      // Locked: the rectangle is exactly what was scored; moving it would misstate it.
      isLocked: true,
      measurements: {
        Rank: roi.rank,
        Score: roi.score,
        'Score: uncertainty': roi.scoreParts.uncertainty,
        'Score: density': roi.scoreParts.density,
        'Score: neoplastic fraction': roi.scoreParts.neoplasticFraction,
        'Num nuclei': roi.nucleusCount,
      },
      cellvit: {
        kind: 'roi',
        ...result,
        verdictLabel: VERDICT_PRESENTATION[roi.verdict].label,
      },
    },
  };
}

/**
 * Measurement names of a cell's measures, worded as QuPath shows measurements
 * (and as the nuclei's are); a measure without a name here keeps its key.
 */
const MEASUREMENT_NAMES: Record<string, string> = {
  tileCount: 'Num tiles',
  tissueTileCount: 'Num tissue tiles',
  npEntropyMean: 'Nucleus entropy mean (0-1)',
  ntEntropyMean: 'Type entropy mean (0-1)',
  meanSetSize: 'Prediction set size mean',
  oodDistanceMax: 'Out-of-domain distance max',
  oodTileFraction: 'Out-of-domain tile fraction',
  qualityFailureFraction: 'Quality failure fraction',
  stainOutlierFraction: 'Stain outlier fraction',
  mppOutOfRangeTileCount: 'Num tiles with pixel size out of range',
  nucleusCount: 'Num nuclei',
  typedNucleusCount: 'Num typed nuclei',
  neoplasticCount: 'Num epithelial-or-neoplastic nuclei',
};

function cellMeasurements(region: RegionVerdictRecord): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, value] of Object.entries(region.measures))
    if (typeof value === 'number')
      values[MEASUREMENT_NAMES[key] ?? key] = round(value, 4);
  return values;
}

/** The annotation of one verdict grid cell, classified by its verdict word. */
export function verdictCellFeature(
  region: RegionVerdictRecord,
  context: ExportContext,
  triage: ExportTriage,
): GeoJsonFeature {
  const label = VERDICT_PRESENTATION[region.verdict].label;
  return {
    type: 'Feature',
    id: exportUuid(context, `cell/${triage.triageVersion}/${region.col}/${region.row}`),
    geometry: { type: 'Polygon', coordinates: rectanglePolygon(region.cellBaseRect) },
    properties: {
      objectType: 'annotation',
      name: `${label} cell (${region.col}, ${region.row})`,
      classification: verdictClassification(region.verdict),
      isLocked: true,
      measurements: cellMeasurements(region),
      cellvit: {
        kind: 'verdict-cell',
        col: region.col,
        row: region.row,
        verdict: region.verdict,
        reasons: region.reasons.map(exportReason),
      },
    },
  };
}
