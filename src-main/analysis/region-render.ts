/**
 * Renders a slide region with the stored nuclei outlines coloured by type, as a
 * PNG for people to look at (checking that outlines sit on real nuclei).
 */
import { existsSync } from 'node:fs';
import { AppError } from '../../src-shared/errors';
import type { Rect } from '../../src-shared/geometry';
import { openSlide } from '../slides/open-slide';
import type { SlideReader } from '../slides/slide-reader';
import { analysedRegionOf } from '../store/analysis-region';
import { readSlideSummary } from '../uncertainty/triage-store';
import type { Verdict } from '../../src-shared/verdict';
import { computeSlideContentId } from '../store/slide-identity';
import { openExistingStore, type ResultStore } from '../store/store';
import type { AnalysisRecord } from '../store/store-types';
import { chooseRegion } from './analysis-plan';
import { UNTYPED_NAME } from './analysis-summary';
import {
  buildOverlaySvg,
  UNTYPED_COLOR,
  writeOverlayPng,
  type LegendEntry,
} from './nuclei-overlay';
import { readNucleiInRect } from './stored-nuclei';

/** What to render. */
export interface RenderOptions {
  slidePath: string;
  dbPath: string;
  /** Region in level-0 pixels. */
  regionBase: Rect;
  /** Pyramid level to read the pixels at (default 0). */
  level?: number;
  outPath: string;
  /** The analysis to draw; default: the slide's newest finished one. */
  analysisId?: number;
  /** Replace a file already at `outPath` (otherwise it is refused). */
  isReplacing?: boolean;
}

/** What was drawn. */
export interface RenderResult {
  analysisId: number;
  nucleiDrawn: number;
  /** Size of the region drawn; the PNG adds a caption band of `captionPx` below it. */
  widthPx: number;
  heightPx: number;
  captionPx: number;
  /**
   * Size of the PNG: the region, the caption below it, and a white margin right of a
   * region narrower than the caption.
   */
  pictureWidthPx: number;
  pictureHeightPx: number;
  /** The level-0 region drawn, when the one asked reached past the slide's edge. */
  cutRegion: Rect | null;
  /**
   * The level-0 region the analysis covered, when it does not cover all of the
   * rendered one (outlines can only be drawn inside it); `null` when it does.
   */
  partlyAnalysedRegion: Rect | null;
  /** How far the analysis got, when it is not finished; `null` when it is. */
  unfinished: { status: string; committedTiles: number; plannedTiles: number } | null;
  /** The analysis's slide verdict; `null` when it was never triaged. */
  slideVerdict: Verdict | null;
}

/** Renders the region; throws `ANALYSIS_NOT_FOUND` when the slide has no analysis. */
export async function renderRegion(options: RenderOptions): Promise<RenderResult> {
  const reader = await openSlide(options.slidePath, { useCache: false });
  try {
    const store = openExistingStore(options.dbPath);
    try {
      const analysis = await chosenAnalysis(store, reader, options);
      return await drawRegion({ reader, store, analysis, options });
    } finally {
      store.close();
    }
  } finally {
    await reader.close();
  }
}

/** The downsample of pyramid level `level`, or `INVALID_OPTION` naming the levels. */
function downsampleOf(reader: SlideReader, level: number): number {
  const downsample = reader.info.levels[level]?.downsample;
  if (downsample === undefined) {
    throw new AppError(
      'INVALID_OPTION',
      `Level ${level} does not exist; the slide has levels 0-${reader.info.levels.length - 1}.`,
    );
  }
  return downsample;
}

async function drawRegion(input: {
  reader: SlideReader;
  store: ResultStore;
  analysis: AnalysisRecord;
  options: RenderOptions;
}): Promise<RenderResult> {
  const { reader, store, analysis, options } = input;
  const level = options.level ?? 0;
  const downsample = downsampleOf(reader, level);
  const baseRect = chooseRegion(reader.info, options.regionBase);
  const image = await readPixels(reader, baseRect, { level, downsample });
  const { widthPx, heightPx } = image;

  const nuclei = outlinesIn(store, analysis, baseRect);
  const slideVerdict = readSlideSummary(store.db, analysis.id)?.verdict ?? null;
  const unfinished = progressIfUnfinished(analysis);
  const overlay = buildOverlaySvg({
    baseRect,
    downsample,
    widthPx,
    heightPx,
    nuclei,
    caption: { legend: legendOf(analysis), verdict: slideVerdict, unfinished },
  });
  refuseExisting(options);
  await writeOverlayPng({ image, overlay, outPath: options.outPath });
  return {
    analysisId: analysis.id,
    nucleiDrawn: nuclei.length,
    widthPx,
    heightPx,
    captionPx: overlay.captionPx,
    pictureWidthPx: overlay.canvasWidthPx,
    pictureHeightPx: heightPx + overlay.captionPx,
    cutRegion: sameRect(baseRect, options.regionBase) ? null : baseRect,
    partlyAnalysedRegion: uncoveredBy(analysedRegionOf(analysis, reader.info), baseRect),
    unfinished,
    slideVerdict,
  };
}

/** The pixels of `baseRect` (level-0 px) read at a pyramid level. */
function readPixels(
  reader: SlideReader,
  baseRect: Rect,
  at: { level: number; downsample: number },
) {
  return reader.readRegion({
    level: at.level,
    baseX: baseRect.x,
    baseY: baseRect.y,
    widthPx: Math.max(1, Math.round(baseRect.width / at.downsample)),
    heightPx: Math.max(1, Math.round(baseRect.height / at.downsample)),
  });
}

function refuseExisting(options: RenderOptions): void {
  if (options.isReplacing || !existsSync(options.outPath)) return;
  throw new AppError(
    'EXPORT_FAILED',
    'A file already exists at --out; pass --force to replace it, or choose another ' +
      'name. Nothing was written.',
  );
}

/** The stored nuclei in `baseRect`, coloured by their type. */
function outlinesIn(store: ResultStore, analysis: AnalysisRecord, baseRect: Rect) {
  const colours = new Map(analysis.nucleusClasses.map((c) => [c.index, c.color]));
  return readNucleiInRect(store, analysis.id, baseRect).map((nucleus) => ({
    contourBase: pointsOf(nucleus.polygonBase),
    colorHex: colours.get(nucleus.typeIndex) ?? UNTYPED_COLOR,
  }));
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

function progressIfUnfinished(analysis: AnalysisRecord): RenderResult['unfinished'] {
  if (analysis.status === 'done') return null;
  return {
    status: analysis.status,
    committedTiles: analysis.committedTileCount,
    plannedTiles: analysis.plannedTileCount,
  };
}

/** `analysed` when it leaves part of `rendered` out, else `null`. */
function uncoveredBy(analysed: Rect | null, rendered: Rect): Rect | null {
  if (!analysed) return null;
  const covers =
    analysed.x <= rendered.x &&
    analysed.y <= rendered.y &&
    analysed.x + analysed.width >= rendered.x + rendered.width &&
    analysed.y + analysed.height >= rendered.y + rendered.height;
  return covers ? null : analysed;
}

/**
 * The analysis asked for, which must be of this slide; else the slide's newest
 * finished analysis that covers the whole region drawn, else its newest finished
 * one, else its newest of any status.
 */
async function chosenAnalysis(
  store: ResultStore,
  reader: SlideReader,
  options: RenderOptions,
): Promise<AnalysisRecord> {
  const { widthPx, heightPx } = reader.info;
  const contentId = await computeSlideContentId(options.slidePath, { widthPx, heightPx });
  const slide = store.findSlideByContentId(contentId);
  const analyses = slide ? store.listAnalyses(slide.id) : [];
  if (options.analysisId !== undefined) {
    const asked = analyses.find((a) => a.id === options.analysisId);
    if (asked) return asked;
    throw new AppError(
      'ANALYSIS_NOT_FOUND',
      `Analysis ${options.analysisId} is not an analysis of this slide in the results ` +
        'database; leave out --analysis to draw the newest finished one.',
    );
  }
  const finished = analyses.filter((a) => a.status === 'done');
  const region = chooseRegion(reader.info, options.regionBase);
  const chosen =
    finished.find((a) => !uncoveredBy(analysedRegionOf(a, reader.info), region)) ??
    finished[0] ??
    analyses[0];
  if (!chosen) {
    throw new AppError(
      'ANALYSIS_NOT_FOUND',
      'This slide has no analysis in the results database. Run `analyze` on it first ' +
        '(with the same --db), then render again.',
    );
  }
  return chosen;
}

function legendOf(analysis: AnalysisRecord): LegendEntry[] {
  const entries = analysis.nucleusClasses.map((c) => ({
    name: c.name,
    colorHex: c.color,
  }));
  return entries.length > 0 ? entries : [{ name: UNTYPED_NAME, colorHex: UNTYPED_COLOR }];
}

function pointsOf(polygonBase: Float32Array): { x: number; y: number }[] {
  const points = [];
  for (let k = 0; k < polygonBase.length; k += 2)
    points.push({ x: polygonBase[k]!, y: polygonBase[k + 1]! });
  return points;
}
