/**
 * Draws nucleus outlines over a slide region for people to look at: an SVG overlay
 * (outlines coloured by type) rendered and composited by sharp.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Point, Rect } from '../../src-shared/geometry';
import { toExportError } from '../export/export-file';
import type { RgbImage } from '../slides/slide-reader';

/** One outline to draw, in level-0 pixels. */
export interface OverlayNucleus {
  contourBase: Point[];
  /** `#rrggbb`; nuclei without a type are drawn in {@link UNTYPED_COLOR}. */
  colorHex: string;
}

/** Outline colour of nuclei whose bundle has no type output. */
export const UNTYPED_COLOR = '#00e5ff';

/** One legend entry: a type name and its colour. */
export interface LegendEntry {
  name: string;
  colorHex: string;
}

/**
 * SVG of the outlines for a region read at a downsample; `baseRect` is the region in
 * level-0 pixels, the SVG is in pixels of the level read.
 */
export function buildOverlaySvg(options: {
  baseRect: Rect;
  downsample: number;
  widthPx: number;
  heightPx: number;
  nuclei: OverlayNucleus[];
  legend: LegendEntry[];
}): string {
  const { baseRect, downsample, widthPx, heightPx } = options;
  const strokePx = Math.max(1, Math.min(2, 2 / downsample));

  const polygons = options.nuclei.map((nucleus) => {
    const points = nucleus.contourBase
      .map(
        (p) =>
          `${fmt((p.x - baseRect.x) / downsample)},${fmt((p.y - baseRect.y) / downsample)}`,
      )
      .join(' ');
    return `<polygon points="${points}" stroke="${nucleus.colorHex}" />`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}">`,
    `<g fill="none" stroke-width="${fmt(strokePx)}" stroke-linejoin="round">`,
    ...polygons,
    '</g>',
    buildLegendSvg(options.legend),
    '</svg>',
  ].join('\n');
}

/** Width of one character of the legend's 12 px sans-serif text, rounded up. */
const LEGEND_CHAR_PX = 7;

function buildLegendSvg(legend: LegendEntry[]): string {
  if (legend.length === 0) return '';
  const rowPx = 16;
  const rows = legend.map((entry, i) => {
    const y = 6 + i * rowPx;
    return (
      `<rect x="6" y="${y}" width="12" height="12" fill="${entry.colorHex}" />` +
      `<text x="24" y="${y + 11}" font-family="sans-serif" font-size="12" fill="#000">` +
      `${escapeXml(entry.name)}</text>`
    );
  });
  const heightPx = 8 + legend.length * rowPx;
  const longest = Math.max(...legend.map((entry) => entry.name.length));
  const widthPx = 30 + Math.ceil(LEGEND_CHAR_PX * longest);
  const background =
    `<rect x="2" y="2" width="${widthPx}" height="${heightPx}" ` +
    'fill="#fff" fill-opacity="0.8" />';
  return `${background}${rows.join('')}`;
}

/** Composites the overlay on the region's pixels and writes a PNG to `outPath`. */
export async function writeOverlayPng(options: {
  image: RgbImage;
  svg: string;
  outPath: string;
}): Promise<void> {
  const { image } = options;
  const png = await sharp(image.data, {
    raw: { width: image.widthPx, height: image.heightPx, channels: 3 },
  })
    .composite([{ input: Buffer.from(options.svg), top: 0, left: 0 }])
    .png()
    .toBuffer();
  try {
    await writeFile(options.outPath, png);
  } catch (error) {
    throw toExportError(error, 'The rendered image');
  }
}

function fmt(value: number): string {
  return value.toFixed(2);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
