/**
 * The one way to open a slide. Probe order: OpenSlide (when its library loads)
 * for every format it recognises, then the pure-JS readers by file content.
 * Opening reads the metadata and low-resolution tiles, so a corrupt file fails
 * here rather than during review.
 */
import { AppError } from '../../src-shared/errors';
import { createLogger } from '../logging/logger';
import type { SlideReader } from './slide-reader';
import { inspectSlideFile, type SlideFile } from './slide-file';
import { loadOpenSlideLibrary } from './openslide/openslide-library';
import {
  DEFAULT_BLOCKING_READ_BUDGET_MS,
  openWithOpenSlide,
} from './openslide/openslide-reader';
import { openTiffSlide } from './tiff/tiff-reader';
import { openDicomSlide } from './dicom/dicom-reader';
import { openImageSlide } from './image-reader';
import { SlideNeedsOpenSlideError, UnsupportedSlideFormatError } from './slide-errors';
import { probeLowResolutionTiles } from './open-probe';
import { ReaderCache } from './reader-cache';

const log = createLogger('slides');

/** Which reader family to use: `auto` follows the probe order. */
export type ReaderChoice = 'openslide' | 'pure-js' | 'auto';

/** Options of {@link openSlide}. */
export interface OpenSlideOptions {
  reader?: ReaderChoice;
  /** Share an already open reader of the same file (default true). */
  useCache?: boolean;
  /**
   * Longest OpenSlide read, in milliseconds, that may block the calling thread
   * (default 50); longer reads, and a reader's first, run on a worker thread. A
   * process that answers a viewer's tile requests passes a few milliseconds.
   */
  blockingReadBudgetMs?: number;
}

/** Vendor formats only OpenSlide decodes, by extension. */
const OPENSLIDE_ONLY_EXTENSIONS: Record<string, string> = {
  ndpi: 'Hamamatsu NDPI',
  vms: 'Hamamatsu VMS',
  vmu: 'Hamamatsu VMU',
  mrxs: '3DHISTECH MRXS',
  scn: 'Leica SCN',
  bif: 'Ventana BIF',
  svslide: 'Sakura SVSlide',
};

const cache = new ReaderCache(8);

async function openPureJs(file: SlideFile): Promise<SlideReader> {
  const vendorFormat = OPENSLIDE_ONLY_EXTENSIONS[file.extension];
  if (vendorFormat) throw new SlideNeedsOpenSlideError(vendorFormat);
  switch (file.kind) {
    case 'tiff':
      return openTiffSlide(file.realPath, file.sizeBytes);
    case 'dicom':
      return openDicomSlide(file.realPath, file.sizeBytes);
    case 'png':
    case 'jpeg':
      return openImageSlide(file.realPath);
    default:
      throw new UnsupportedSlideFormatError(
        'its content is not TIFF, DICOM, PNG or JPEG',
      );
  }
}

async function openUncached(
  file: SlideFile,
  choice: ReaderChoice,
  blockingReadBudgetMs: number,
): Promise<SlideReader> {
  const lib = choice === 'pure-js' ? null : loadOpenSlideLibrary();
  if (choice === 'openslide' && !lib)
    throw new SlideNeedsOpenSlideError('Forcing the OpenSlide reader for');
  const viaOpenSlide = lib
    ? await openWithOpenSlide(lib, file.realPath, blockingReadBudgetMs)
    : null;
  if (viaOpenSlide && choice === 'auto') return preferFullerPyramid(viaOpenSlide, file);
  if (viaOpenSlide) return viaOpenSlide;
  if (choice === 'openslide') {
    throw new UnsupportedSlideFormatError('OpenSlide does not recognise it');
  }
  return openPureJs(file);
}

/**
 * OpenSlide before 4.0 reads only the first level of an OME-TIFF whose pyramid
 * sits in SubIFDs; the pure-JS reader sees every level, so it wins there.
 */
async function preferFullerPyramid(
  reader: SlideReader,
  file: SlideFile,
): Promise<SlideReader> {
  if (reader.info.format !== 'ome-tiff' || reader.info.levels.length > 1) return reader;
  const pureJs = await openPureJs(file);
  if (pureJs.info.levels.length > reader.info.levels.length) {
    await reader.close();
    return pureJs;
  }
  await pureJs.close();
  return reader;
}

async function openAndProbe(
  file: SlideFile,
  choice: ReaderChoice,
  blockingReadBudgetMs: number,
): Promise<SlideReader> {
  const startedMs = performance.now();
  const reader = await openUncached(file, choice, blockingReadBudgetMs);
  try {
    await probeLowResolutionTiles(reader);
  } catch (error) {
    // A slide that cannot show its overview is unusable: release it, then report why.
    await reader.close();
    throw error;
  }
  log.info('slide.open.done', {
    reader: reader.info.reader,
    format: reader.info.format,
    levels: reader.info.levels.length,
    durationMs: Math.round(performance.now() - startedMs),
  });
  return reader;
}

/**
 * Opens the slide at `path` and returns its reader. Throws typed slide errors
 * (`SLIDE_NOT_FOUND`, `SLIDE_CORRUPT`, `SLIDE_NEEDS_OPENSLIDE`, ...) whose
 * messages say what the user can do; never names the file in them.
 */
export async function openSlide(
  path: string,
  options: OpenSlideOptions = {},
): Promise<SlideReader> {
  const choice = options.reader ?? 'auto';
  const budgetMs = options.blockingReadBudgetMs ?? DEFAULT_BLOCKING_READ_BUDGET_MS;
  try {
    const file = await inspectSlideFile(path);
    const open = () => openAndProbe(file, choice, budgetMs);
    if (options.useCache === false) return await open();
    const key = [choice, budgetMs, file.realPath, file.mtimeMs, file.sizeBytes];
    return await cache.acquire(key.join('\0'), open);
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? error.code
        : 'INTERNAL';
    // A typed error is the user's to act on and reaches them with its message; only an
    // unexpected one is a warning. Lower case: the log sink masks upper-case
    // identifier-shaped text such as error codes.
    const record = error instanceof AppError ? log.info : log.warn;
    record('slide.open.failed', {
      errorCode: String(code).toLowerCase(),
      reader: choice,
    });
    throw error;
  }
}

/** Closes every cached reader (on shutdown, and between tests). */
export function closeAllSlides(): Promise<void> {
  return cache.closeAll();
}
