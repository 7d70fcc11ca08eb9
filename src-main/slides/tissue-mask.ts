/**
 * The tissue mask of a slide: which parts of a low-resolution overview hold
 * tissue, excluding background glass and marker-pen ink. Analysis skips tiles
 * without tissue, so this decides what the model ever sees.
 */
import { classifyPixels } from '../../src-shared/tissue-classify';
import {
  close,
  dilate,
  open,
  removeSmallComponents,
  type BinaryMask,
} from '../../src-shared/binary-morphology';
import type { RgbImage, SlideReader } from './slide-reader';

/** A tissue mask over the whole slide; each mask pixel covers `baseWidthPx / widthPx` level-0 pixels. */
export interface TissueMask extends BinaryMask {
  /** Fraction of mask pixels that are tissue, in [0, 1]. */
  tissueFraction: number;
  /** Fraction of mask pixels classed as pen ink, in [0, 1]. */
  penFraction: number;
}

/** Overview size the mask is computed at (longer edge, pixels). */
export const TISSUE_MASK_EDGE_PX = 1024;

/** Clean-up sizes relative to the overview's longer edge, so results do not depend on its size. */
const CLOSE_RADIUS_FRACTION = 2 / 1024;
const OPEN_RADIUS_FRACTION = 1 / 1024;
const PEN_MARGIN_FRACTION = 3 / 1024;
/** Components under this share of the overview's area are dust, not tissue. */
const MIN_COMPONENT_AREA_FRACTION = 1e-4;

/** Computes the tissue mask of an RGB overview image. */
export function tissueMaskFromImage(image: RgbImage): TissueMask {
  const { widthPx, heightPx } = image;
  const edge = Math.max(widthPx, heightPx);
  const radius = (fraction: number) => Math.max(1, Math.round(edge * fraction));
  const classes = classifyPixels(image.data, widthPx * heightPx);

  const tissue = { widthPx, heightPx, data: classes.map((c) => (c === 1 ? 1 : 0)) };
  const pen = { widthPx, heightPx, data: classes.map((c) => (c === 2 ? 1 : 0)) };
  // Ink edges blend into the tissue colour: widen the pen area before removing it.
  const penZone = dilate(pen, radius(PEN_MARGIN_FRACTION));

  let mask: BinaryMask = close(tissue, radius(CLOSE_RADIUS_FRACTION));
  mask = { ...mask, data: mask.data.map((v, i) => (v && !penZone.data[i] ? 1 : 0)) };
  mask = open(mask, radius(OPEN_RADIUS_FRACTION));
  mask = removeSmallComponents(
    mask,
    Math.ceil(widthPx * heightPx * MIN_COMPONENT_AREA_FRACTION),
  );

  return {
    ...mask,
    tissueFraction: count(mask.data) / mask.data.length,
    penFraction: count(pen.data) / pen.data.length,
  };
}

function count(data: Uint8Array): number {
  let total = 0;
  for (const v of data) total += v ? 1 : 0;
  return total;
}

/** Reads an overview of the slide and computes its tissue mask. */
export async function computeTissueMask(
  reader: SlideReader,
  signal?: AbortSignal,
): Promise<TissueMask> {
  const overview = await reader.readThumbnail(TISSUE_MASK_EDGE_PX, signal);
  return tissueMaskFromImage(overview);
}
