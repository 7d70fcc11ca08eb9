/**
 * Turns a TIFF's directories into a slide: which format it is (Aperio SVS,
 * OME-TIFF, generic pyramidal TIFF), which directories are pyramid levels, which
 * are associated images, and where its calibration lies.
 */
import type { MppSources } from '../../../src-shared/units';
import type { TiffDirectory } from './tiff-directory';

/** TIFF compression codes that only OpenSlide (OpenJPEG) can decode: JPEG 2000. */
export const JPEG2000_COMPRESSIONS = new Set([33003, 33004, 33005, 34712]);

/** What a TIFF holds, once classified. */
export interface TiffLayout {
  format: 'aperio-svs' | 'ome-tiff' | 'generic-tiff';
  vendor: string | null;
  /** Pyramid levels, largest first. */
  levels: TiffDirectory[];
  /** Associated images by OpenSlide's names (`label`, `macro`, `thumbnail`). */
  associated: Map<string, TiffDirectory>;
  mppSources: MppSources;
  objectivePower: number | null;
}

/** Reduced-resolution bit of NewSubfileType. */
const REDUCED_RESOLUTION = 1;

/** `key = value` pairs of an Aperio description (after the first `|`). */
export function parseAperioDescription(description: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of description.split('|').slice(1)) {
    const match = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(part);
    if (match?.[1] !== undefined) fields.set(match[1], match[2] ?? '');
  }
  return fields;
}

function positiveNumber(text: string | undefined): number | undefined {
  const value = text === undefined ? NaN : Number(text);
  return value > 0 ? value : undefined;
}

function aperioLayout(directories: TiffDirectory[]): TiffLayout {
  const levels = directories.filter((dir) => dir.isTiled);
  const base = levels[0] ?? directories[0]!;
  const fields = parseAperioDescription(base.description);
  const associated = new Map<string, TiffDirectory>();
  directories.forEach((dir, index) => {
    if (dir.isTiled) return;
    const firstLine = dir.description.split(/[\r\n]/)[1] ?? '';
    if (/^\s*label\b/.test(firstLine)) associated.set('label', dir);
    else if (/^\s*macro\b/.test(firstLine)) associated.set('macro', dir);
    else if (index === 1) associated.set('thumbnail', dir);
  });
  return {
    format: 'aperio-svs',
    vendor: 'aperio',
    levels,
    associated,
    mppSources: {
      tiffResolution: base.resolution,
      aperioMpp: positiveNumber(fields.get('MPP')),
    },
    objectivePower: positiveNumber(fields.get('AppMag')) ?? null,
  };
}

/** PhysicalSizeX/Y and units of the first OME Pixels element. */
export function parseOmePhysicalSize(xml: string): MppSources['omePhysicalSize'] {
  const pixels = /<(?:\w+:)?Pixels\b[^>]*>/.exec(xml)?.[0];
  if (!pixels) return undefined;
  const attribute = (name: string) =>
    new RegExp(`\\b${name}="([^"]*)"`).exec(pixels)?.[1];
  const x = positiveNumber(attribute('PhysicalSizeX'));
  const y = positiveNumber(attribute('PhysicalSizeY'));
  if (x === undefined || y === undefined) return undefined;
  return {
    x,
    y,
    unitX: attribute('PhysicalSizeXUnit'),
    unitY: attribute('PhysicalSizeYUnit'),
  };
}

function omeObjectivePower(xml: string): number | null {
  const match = /<(?:\w+:)?Objective\b[^>]*\bNominalMagnification="([^"]*)"/.exec(xml);
  return positiveNumber(match?.[1]) ?? null;
}

function omeLayout(base: TiffDirectory, subLevels: TiffDirectory[]): TiffLayout {
  return {
    format: 'ome-tiff',
    vendor: null,
    levels: [base, ...subLevels].sort((a, b) => b.widthPx - a.widthPx),
    associated: new Map(),
    mppSources: {
      omePhysicalSize: parseOmePhysicalSize(base.description),
      tiffResolution: base.resolution,
    },
    objectivePower: omeObjectivePower(base.description),
  };
}

function genericLayout(directories: TiffDirectory[]): TiffLayout {
  const tiled = directories.filter((dir) => dir.isTiled);
  const base = tiled[0] ?? directories[0]!;
  const levels = tiled.length
    ? tiled.filter(
        (dir) =>
          dir === base ||
          (dir.newSubfileType & REDUCED_RESOLUTION) !== 0 ||
          dir.widthPx < base.widthPx,
      )
    : [base];
  return {
    format: 'generic-tiff',
    vendor: null,
    levels: levels.sort((a, b) => b.widthPx - a.widthPx),
    associated: new Map(),
    mppSources: { tiffResolution: base.resolution },
    objectivePower: null,
  };
}

/** Whether the first directory's description marks the file as OME-TIFF. */
export function isOmeTiff(directories: TiffDirectory[]): boolean {
  return /<OME[\s>]/.test(directories[0]?.description ?? '');
}

/** Classifies the directories; `subLevels` are the SubIFDs of an OME-TIFF's first image. */
export function classifyTiff(
  directories: TiffDirectory[],
  subLevels: TiffDirectory[],
): TiffLayout {
  const first = directories[0];
  if (!first) throw new RangeError('A TIFF layout needs at least one directory.');
  if (first.description.startsWith('Aperio')) return aperioLayout(directories);
  if (isOmeTiff(directories)) return omeLayout(first, subLevels);
  return genericLayout(directories);
}
