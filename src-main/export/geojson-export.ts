/**
 * GeoJSON export in QuPath's conventions: a FeatureCollection whose nuclei are
 * `detection` objects with a Polygon in level-0 pixels, a classification (name
 * and RGB colour) and a measurement map; feature sources (see `export-sources.ts`)
 * add the triage as `annotation` objects and the slide summary to the collection's
 * `cellvit` member. QuPath imports it with File > Import objects. The slide is
 * referenced by its content id, never by path or name.
 */
import { createLogger } from '../logging/logger';
import { openExportFile } from './export-file';
import { exportContext, exportNuclei, round } from './export-nuclei';
import type { ExportContext, ExportNucleus } from './export-nuclei';
import type { ResultStore } from '../store/index';
import { analysisIdentity } from './slide-summary';

const log = createLogger('export');

/** A GeoJSON Feature as written; other modules' sources produce these. */
export interface GeoJsonFeature {
  type: 'Feature';
  id?: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

/**
 * A further set of features for the same export, e.g. regions of interest or
 * verdict regions: `features` is read once, after the nuclei; `metadata` adds
 * members to the collection's `cellvit` object (e.g. a slide summary).
 */
export interface ExportFeatureSource {
  name: string;
  features(
    context: ExportContext,
  ): Iterable<GeoJsonFeature> | AsyncIterable<GeoJsonFeature>;
  metadata?(context: ExportContext): Record<string, unknown>;
}

/** Options of {@link exportGeoJson}. */
export interface GeoJsonExportOptions {
  store: ResultStore;
  analysisId: number;
  outPath: string;
  extraSources?: ExportFeatureSource[];
}

const FLUSH_CHARS = 1 << 16;

/** `#rrggbb` as the `[r, g, b]` triple (0 to 255) QuPath reads as a colour. */
export function hexToRgb(color: string): [number, number, number] {
  const value = Number.parseInt(color.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function measurements(nucleus: ExportNucleus, context: ExportContext) {
  const values: Record<string, number> = {};
  if (nucleus.areaMicrons2 === null) values['Area px^2'] = round(nucleus.areaPx, 2);
  else values['Area µm^2'] = round(nucleus.areaMicrons2, 3);
  values['Nucleus probability'] = round(nucleus.nucleusProbability, 4);
  for (const [index, typeClass] of context.classes) {
    const probability = nucleus.typeProbabilities[index];
    if (probability !== undefined)
      values[`Probability: ${typeClass.name}`] = round(probability, 4);
  }
  values['Nucleus entropy (nats)'] = round(nucleus.nucleusEntropy, 4);
  if (context.classes.size > 0)
    values['Type entropy (nats)'] = round(nucleus.typeEntropy, 4);
  return values;
}

/** The Feature of one nucleus, with a closed ring. */
export function nucleusFeature(
  nucleus: ExportNucleus,
  context: ExportContext,
): GeoJsonFeature {
  const ring: Array<[number, number]> = [];
  const polygon = nucleus.polygonBase;
  for (let k = 0; k < polygon.length; k += 2)
    ring.push([round(polygon[k]!, 2), round(polygon[k + 1]!, 2)]);
  ring.push(ring[0]!);

  const properties: Record<string, unknown> = { objectType: 'detection' };
  if (nucleus.typeClass) {
    properties.classification = {
      name: nucleus.typeClass.name,
      color: hexToRgb(nucleus.typeClass.color),
    };
  }
  properties.isLocked = false;
  properties.measurements = measurements(nucleus, context);
  return {
    type: 'Feature',
    id: nucleus.id,
    geometry: { type: 'Polygon', coordinates: [ring] },
    properties,
  };
}

function collectionMetadata(context: ExportContext, sources: ExportFeatureSource[]) {
  const metadata: Record<string, unknown> = { ...analysisIdentity(context) };
  for (const source of sources) Object.assign(metadata, source.metadata?.(context));
  return metadata;
}

/**
 * Streams the analysis's nuclei, then each extra source's features, to
 * `outPath`; memory stays bounded by one page of tiles. Returns the feature count.
 */
export async function exportGeoJson(options: GeoJsonExportOptions): Promise<number> {
  const context = exportContext(options.store, options.analysisId);
  const sources = options.extraSources ?? [];
  const file = openExportFile(options.outPath);
  let pending = `{"type":"FeatureCollection","cellvit":${JSON.stringify(collectionMetadata(context, sources))},"features":[`;
  let count = 0;
  const add = async (feature: GeoJsonFeature) => {
    pending += (count++ === 0 ? '\n' : ',\n') + JSON.stringify(feature);
    if (pending.length >= FLUSH_CHARS) {
      await file.write(pending);
      pending = '';
    }
  };

  try {
    for (const nucleus of exportNuclei(context))
      await add(nucleusFeature(nucleus, context));
    for (const source of sources)
      for await (const feature of source.features(context)) await add(feature);
    await file.write(`${pending}\n]}\n`);
    await file.finish();
  } catch (error) {
    await file.abort();
    throw error;
  }
  log.info('export.geojson.done', {
    analysisId: options.analysisId,
    featureCount: count,
  });
  return count;
}
