/**
 * Feature sources added to every GeoJSON export made by the command line and
 * the app, after the nuclei. A module that contributes features (regions of
 * interest, verdict regions, a slide summary) appends its source here.
 */
import type { ExportFeatureSource } from './geojson-export';

/** Sources appended to every GeoJSON export, in order. */
export const EXPORT_SOURCES: ExportFeatureSource[] = [];
