/**
 * The pure-JS reader for TIFF-based slides (Aperio SVS with JPEG tiles, generic
 * pyramidal TIFF, OME-TIFF with SubIFD pyramids): geotiff parses the structure,
 * tiles are read straight from the file and decoded with sharp or geotiff.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { GeoTIFF } from 'geotiff';
import type { PyramidLevel, SlideInfo } from '../../../src-shared/slide-types';
import { resolveMpp } from '../../../src-shared/units';
import type {
  RegionReadOptions,
  RegionRequest,
  RgbImage,
  SlideReader,
} from '../slide-reader';
import {
  AssociatedImageHiddenError,
  SlideNeedsOpenSlideError,
  SlideReadError,
} from '../slide-errors';
import { validateRegionRequest } from '../region-request';
import { readThumbnailVia } from '../thumbnail';
import { readTiledRegion, TileCache, type TiledLevel } from '../tiled-level';
import { assertDecodable, decodeBlock } from './tiff-block-decoder';
import {
  openTiff,
  readSubDirectories,
  readTopLevelDirectories,
  type TiffDirectory,
} from './tiff-directory';
import {
  classifyTiff,
  isOmeTiff,
  JPEG2000_COMPRESSIONS,
  type TiffLayout,
} from './tiff-layout';

/** Decoded tiles kept per open slide. */
const TILE_CACHE_BYTES = 64 * 1024 * 1024;

class TiffSlideReader implements SlideReader {
  readonly info: SlideInfo;
  private readonly cache = new TileCache(TILE_CACHE_BYTES);
  private readonly levels: TiledLevel[];

  constructor(
    private readonly handles: { tiff: GeoTIFF; file: FileHandle },
    private readonly layout: TiffLayout,
  ) {
    this.info = describe(layout);
    this.levels = layout.levels.map((dir, index) => this.tiledLevel(dir, index));
  }

  private tiledLevel(dir: TiffDirectory, index: number): TiledLevel {
    const columns = Math.ceil(dir.widthPx / dir.blockWidthPx);
    return {
      widthPx: dir.widthPx,
      heightPx: dir.heightPx,
      tileWidthPx: dir.blockWidthPx,
      tileHeightPx: dir.blockHeightPx,
      decodeTile: (column, row) =>
        this.cache.get(`${index}:${column}:${row}`, () =>
          decodeBlock(this.handles.file, dir, row * columns + column),
        ),
    };
  }

  async readRegion(
    request: RegionRequest,
    options?: RegionReadOptions,
  ): Promise<RgbImage> {
    validateRegionRequest(this.info, request);
    const level = this.levels[request.level]!;
    const { downsample } = this.info.levels[request.level]!;
    const levelRect = {
      x: Math.floor(request.baseX / downsample),
      y: Math.floor(request.baseY / downsample),
      width: request.widthPx,
      height: request.heightPx,
    };
    return readTiledRegion(level, levelRect, options);
  }

  readThumbnail(maxEdgePx: number, signal?: AbortSignal): Promise<RgbImage> {
    return readThumbnailVia(this, maxEdgePx, signal);
  }

  async readAssociatedImage(
    name: string,
    options: { allowIdentifying: boolean },
  ): Promise<RgbImage> {
    if (!options.allowIdentifying) throw new AssociatedImageHiddenError();
    const dir = this.layout.associated.get(name);
    if (!dir) throw new SlideReadError(`the slide has no associated image "${name}"`);
    assertDecodable(dir);
    const level: TiledLevel = {
      widthPx: dir.widthPx,
      heightPx: dir.heightPx,
      tileWidthPx: dir.blockWidthPx,
      tileHeightPx: dir.blockHeightPx,
      decodeTile: (column, row) =>
        decodeBlock(
          this.handles.file,
          dir,
          row * Math.ceil(dir.widthPx / dir.blockWidthPx) + column,
        ),
    };
    return readTiledRegion(level, {
      x: 0,
      y: 0,
      width: dir.widthPx,
      height: dir.heightPx,
    });
  }

  async close(): Promise<void> {
    await this.handles.file.close();
    await this.handles.tiff.close();
  }
}

function describe(layout: TiffLayout): SlideInfo {
  const base = layout.levels[0]!;
  const levels: PyramidLevel[] = layout.levels.map((dir, index) => ({
    index,
    widthPx: dir.widthPx,
    heightPx: dir.heightPx,
    // The mean of both axes' ratios, as OpenSlide computes it.
    downsample: (base.widthPx / dir.widthPx + base.heightPx / dir.heightPx) / 2,
    tileWidthPx: dir.isTiled ? dir.blockWidthPx : null,
    tileHeightPx: dir.isTiled ? dir.blockHeightPx : null,
  }));
  return {
    format: layout.format,
    vendor: layout.vendor,
    reader: 'geotiff',
    widthPx: base.widthPx,
    heightPx: base.heightPx,
    levels,
    mpp: resolveMpp(layout.mppSources),
    objectivePower: layout.objectivePower,
    associatedImages: [...layout.associated.keys()],
    hasIccProfile:
      layout.levels.some((dir) => dir.hasIccProfile) ||
      /ICC Profile/.test(base.description),
  };
}

async function loadLayout(tiff: GeoTIFF, fileSizeBytes: number): Promise<TiffLayout> {
  const directories = await readTopLevelDirectories(tiff, fileSizeBytes);
  if (directories.length === 0) throw new SlideReadError('the TIFF contains no image');
  const offsets = isOmeTiff(directories) ? (directories[0]?.subIfdOffsets ?? []) : [];
  const subLevels = await readSubDirectories(tiff, { offsets, fileSizeBytes });
  const layout = classifyTiff(directories, subLevels);

  if (layout.levels.some((dir) => JPEG2000_COMPRESSIONS.has(dir.compression))) {
    throw new SlideNeedsOpenSlideError('JPEG 2000 compressed (Aperio 33003/33005)');
  }
  layout.levels.forEach(assertDecodable);
  return layout;
}

/**
 * Opens a TIFF-based slide with the pure-JS path. Throws typed slide errors for
 * damaged files and for formats that need OpenSlide.
 */
export async function openTiffSlide(
  path: string,
  fileSizeBytes: number,
): Promise<SlideReader> {
  const tiff = await openTiff(path);
  let file: FileHandle | null = null;
  try {
    const layout = await loadLayout(tiff, fileSizeBytes);
    file = await open(path, 'r');
    return new TiffSlideReader({ tiff, file }, layout);
  } catch (error) {
    // Release both handles before reporting, or a failed open leaks descriptors.
    await file?.close();
    await tiff.close();
    throw error;
  }
}
