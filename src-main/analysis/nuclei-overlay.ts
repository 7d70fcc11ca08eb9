/**
 * Draws nucleus outlines over a slide region for people to look at: an SVG overlay
 * (outlines coloured by type) rendered and composited by sharp, with a caption band
 * below the region that gives the slide's verdict and the type colours.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Point, Rect } from '../../src-shared/geometry';
import { VERDICT_PRESENTATION, type Verdict } from '../../src-shared/verdict';
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

/** What the caption below the region says: the slide's verdict and the type colours. */
export interface OverlayCaption {
  legend: LegendEntry[];
  /** The analysis's slide verdict; `null` when it was never triaged. */
  verdict: Verdict | null;
  /** How far an unfinished analysis got; absent or `null` when it finished. */
  unfinished?: { committedTiles: number; plannedTiles: number } | null;
}

/** The overlay of a region and the caption band drawn below it. */
export interface OverlaySvg {
  svg: string;
  /** Height of the caption band added below the region's pixels. */
  captionPx: number;
  /**
   * Width of the picture: the region's, or the caption's least width when the region
   * is narrower (a white margin is added right of the region's pixels).
   */
  canvasWidthPx: number;
}

/** The least width of the caption, so that its words fit beside a narrow region. */
const CAPTION_MIN_WIDTH_PX = 320;

/**
 * SVG of the outlines for a region read at a downsample, and below the region a
 * caption (the slide verdict, then the type legend) that covers none of its pixels;
 * `baseRect` is the region in level-0 pixels, the SVG is in pixels of the level read.
 */
export function buildOverlaySvg(options: {
  baseRect: Rect;
  downsample: number;
  widthPx: number;
  heightPx: number;
  nuclei: OverlayNucleus[];
  caption: OverlayCaption;
}): OverlaySvg {
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
  const canvasWidthPx = Math.max(widthPx, CAPTION_MIN_WIDTH_PX);
  const caption = captionSvg(options.caption, canvasWidthPx, heightPx);
  const totalPx = heightPx + caption.heightPx;
  // Outlines of nuclei cut by the region's edge stop at it, off the caption.
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvasWidthPx}" height="${totalPx}">`,
    `<clipPath id="region"><rect width="${widthPx}" height="${heightPx}" /></clipPath>`,
    `<g fill="none" stroke-width="${fmt(strokePx)}" stroke-linejoin="round" ` +
      'clip-path="url(#region)">',
    ...polygons,
    '</g>',
    caption.svg,
    '</svg>',
  ].join('\n');
  return { svg, captionPx: caption.heightPx, canvasWidthPx };
}

/** Width of one character of the caption's 12 px sans-serif text, rounded up. */
const CAPTION_CHAR_PX = 7;
const CAPTION_ROW_PX = 18;
const CAPTION_MARGIN_PX = 6;

/** What the verdict line says; an Out-of-domain slide's nuclei are not to be used. */
export function captionVerdictText(verdict: Verdict | null): string {
  if (verdict === null) return 'Slide verdict: not triaged.';
  const label = VERDICT_PRESENTATION[verdict].label;
  if (verdict === 'out-of-domain')
    return `Slide verdict: ${label}. Do not use these nuclei; drawn for inspection only.`;
  if (verdict === 'review')
    return `Slide verdict: ${label}. Check these nuclei yourself.`;
  return `Slide verdict: ${label}. The nuclei still need a pathologist's review.`;
}

/**
 * The caption's status lines: an unfinished analysis first (a picture passed on
 * must not look complete), then the verdict, each with its colour.
 */
function statusLines(
  caption: OverlayCaption,
  maxChars: number,
): { text: string; colorHex: string }[] {
  const verdictColour = caption.verdict
    ? VERDICT_PRESENTATION[caption.verdict].colorHex
    : '#000';
  const lines = wrapWords(captionVerdictText(caption.verdict), maxChars).map((text) => ({
    text,
    colorHex: verdictColour,
  }));
  const progress = caption.unfinished;
  if (!progress) return lines;
  const warning =
    `Analysis unfinished: ${progress.committedTiles} of ${progress.plannedTiles} ` +
    'tiles. Nuclei are missing where tiles were not analysed.';
  const warningLines = wrapWords(warning, maxChars).map((text) => ({
    text,
    colorHex: UNFINISHED_COLOR,
  }));
  return [...warningLines, ...lines];
}

/** Colour of the unfinished-analysis warning (dark orange, readable on white). */
const UNFINISHED_COLOR = '#b34700';

/** Words of `text` in lines of at most `maxChars` characters (a longer word stands alone). */
function wrapWords(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Legend entries placed left to right, wrapping to a new row at the image's edge. */
function legendRows(legend: LegendEntry[], widthPx: number): LegendEntry[][] {
  const rows: LegendEntry[][] = [];
  let row: LegendEntry[] = [];
  let usedPx = CAPTION_MARGIN_PX;
  for (const entry of legend) {
    const entryPx = legendEntryPx(entry);
    if (row.length > 0 && usedPx + entryPx > widthPx) {
      rows.push(row);
      row = [];
      usedPx = CAPTION_MARGIN_PX;
    }
    row.push(entry);
    usedPx += entryPx;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function legendEntryPx(entry: LegendEntry): number {
  return 18 + CAPTION_CHAR_PX * entry.name.length + 14;
}

function captionSvg(
  caption: OverlayCaption,
  widthPx: number,
  topPx: number,
): { svg: string; heightPx: number } {
  const maxChars = Math.max(
    8,
    Math.floor((widthPx - 2 * CAPTION_MARGIN_PX) / CAPTION_CHAR_PX),
  );
  const lines = statusLines(caption, maxChars);
  const rows = legendRows(caption.legend, widthPx);
  const heightPx = CAPTION_MARGIN_PX + (lines.length + rows.length) * CAPTION_ROW_PX;
  const parts = lines.map((line, i) => {
    const y = topPx + CAPTION_MARGIN_PX + i * CAPTION_ROW_PX + 12;
    return (
      `<text x="${CAPTION_MARGIN_PX}" y="${y}" font-family="sans-serif" font-size="12" ` +
      `font-weight="bold" fill="${line.colorHex}">${escapeXml(line.text)}</text>`
    );
  });
  rows.forEach((row, i) => {
    const y = topPx + CAPTION_MARGIN_PX + (lines.length + i) * CAPTION_ROW_PX;
    let x = CAPTION_MARGIN_PX;
    for (const entry of row) {
      parts.push(
        `<rect x="${x}" y="${y}" width="12" height="12" fill="${entry.colorHex}" />` +
          `<text x="${x + 18}" y="${y + 11}" font-family="sans-serif" font-size="12" ` +
          `fill="#000">${escapeXml(entry.name)}</text>`,
      );
      x += legendEntryPx(entry);
    }
  });
  return { svg: parts.join(''), heightPx };
}

/**
 * Composites the overlay on the region's pixels, above a white caption band, and
 * writes a PNG to `outPath`.
 */
export async function writeOverlayPng(options: {
  image: RgbImage;
  overlay: OverlaySvg;
  outPath: string;
}): Promise<void> {
  const { image, overlay } = options;
  const png = await sharp(image.data, {
    raw: { width: image.widthPx, height: image.heightPx, channels: 3 },
  })
    .extend({
      bottom: overlay.captionPx,
      right: overlay.canvasWidthPx - image.widthPx,
      background: '#ffffff',
    })
    .composite([{ input: Buffer.from(overlay.svg), top: 0, left: 0 }])
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
