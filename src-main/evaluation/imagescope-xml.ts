/**
 * Aperio ImageScope annotation files (MoNuSeg's format): one `Region` per nucleus,
 * its outline as `<Vertex X= Y=>` in image pixels.
 */
import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import type { Point } from '../../src-shared/geometry';
import { fillPolygons, type FillSize } from '../../src-shared/polygon-fill';
import { EvaluationInputError } from './evaluation-errors';
import type { InstanceMap } from './instance-overlap';

const REPEATED = new Set(['Annotation', 'Region', 'Vertex']);

/** Outlines of every region in document order, image pixels. */
export function parseImageScopeXml(text: string): Point[][] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => REPEATED.has(name),
  });
  const document: unknown = parser.parse(text);
  const annotations = field(field(document, 'Annotations'), 'Annotation');
  if (!Array.isArray(annotations)) {
    throw new EvaluationInputError('The XML has no <Annotations><Annotation> element.');
  }

  const outlines: Point[][] = [];
  for (const annotation of annotations) {
    const regions = field(field(annotation, 'Regions'), 'Region');
    if (!Array.isArray(regions)) continue;
    for (const region of regions) outlines.push(verticesOf(region));
  }
  return outlines;
}

function verticesOf(region: unknown): Point[] {
  const vertices = field(field(region, 'Vertices'), 'Vertex');
  if (!Array.isArray(vertices)) return [];
  return vertices.map((vertex) => {
    const x = Number(field(vertex, 'X'));
    const y = Number(field(vertex, 'Y'));
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new EvaluationInputError('An XML <Vertex> lacks numeric X and Y attributes.');
    }
    return { x, y };
  });
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Reads an ImageScope file and rasterises its regions into an instance map of
 * `size`: region k is instance k + 1, later regions overwrite earlier ones.
 */
export async function readImageScopeInstances(
  xmlPath: string,
  size: FillSize,
): Promise<InstanceMap> {
  const outlines = parseImageScopeXml(await readFile(xmlPath, 'utf8'));
  return { ...size, labels: fillPolygons(outlines, size) };
}
