/**
 * Reader for single-file DICOM VL Whole Slide Microscopy images (OpenSlide
 * before 4.0 cannot read DICOM). Frames are decoded with sharp and pasted where
 * {@link placeFrames} says they belong.
 */
import { readFile } from 'node:fs/promises';
import type { SlideInfo } from '../../../src-shared/slide-types';
import { resolveMpp } from '../../../src-shared/units';
import type {
  RegionReadOptions,
  RegionRequest,
  RgbImage,
  SlideReader,
} from '../slide-reader';
import { decodeToRgb } from '../jpeg-decode';
import {
  AssociatedImageHiddenError,
  CorruptSlideError,
  SlideReadError,
  SlideTooLargeError,
  UnsupportedSlideFormatError,
} from '../slide-errors';
import { validateRegionRequest } from '../region-request';
import { readThumbnailVia } from '../thumbnail';
import { readTiledRegion, TileCache, type TiledLevel } from '../tiled-level';
import { readDicomSlideDataset, type DicomSlideDataset } from './dicom-dataset';

/**
 * TODO: the whole file is parsed in memory, so instances over this size are
 * refused - large single-file DICOM slides need OpenSlide 4 or a streaming parser.
 */
const MAX_IN_MEMORY_BYTES = 1024 * 1024 * 1024;
const FRAME_CACHE_BYTES = 64 * 1024 * 1024;

/** Map from grid cell to frame index; throws when frames are not on a regular grid. */
function frameGrid(data: DicomSlideDataset): Map<string, number> {
  const cells = new Map<string, number>();
  data.placement.origins.forEach(({ x, y }, index) => {
    if (x % data.frameWidthPx !== 0 || y % data.frameHeightPx !== 0) {
      throw new UnsupportedSlideFormatError(
        'DICOM frames that do not lie on a regular grid',
      );
    }
    cells.set(`${x / data.frameWidthPx}:${y / data.frameHeightPx}`, index);
  });
  return cells;
}

class DicomSlideReader implements SlideReader {
  readonly info: SlideInfo;
  private readonly level: TiledLevel;
  private readonly cache = new TileCache(FRAME_CACHE_BYTES);

  constructor(private readonly data: DicomSlideDataset) {
    this.info = describe(data);
    const cells = frameGrid(data);
    this.level = {
      widthPx: data.totalWidthPx,
      heightPx: data.totalHeightPx,
      tileWidthPx: data.frameWidthPx,
      tileHeightPx: data.frameHeightPx,
      decodeTile: (column, row) => {
        const index = cells.get(`${column}:${row}`);
        if (index === undefined) return Promise.resolve(null);
        return this.cache.get(String(index), () => this.decodeFrame(index));
      },
    };
  }

  private async decodeFrame(index: number): Promise<RgbImage> {
    const bytes = this.data.frames[index]!;
    const { frameWidthPx: widthPx, frameHeightPx: heightPx } = this.data;
    const frame = this.data.isJpeg
      ? await decodeToRgb(bytes, `DICOM frame ${index + 1}`)
      : { data: bytes, widthPx, heightPx };
    if (frame.widthPx !== widthPx || frame.heightPx !== heightPx) {
      throw new CorruptSlideError(
        `DICOM frame ${index + 1} is not ${widthPx}x${heightPx} px`,
      );
    }
    return frame;
  }

  async readRegion(
    request: RegionRequest,
    options?: RegionReadOptions,
  ): Promise<RgbImage> {
    validateRegionRequest(this.info, request);
    const levelRect = {
      x: request.baseX,
      y: request.baseY,
      width: request.widthPx,
      height: request.heightPx,
    };
    return readTiledRegion(this.level, levelRect, options);
  }

  readThumbnail(maxEdgePx: number, signal?: AbortSignal): Promise<RgbImage> {
    return readThumbnailVia(this, maxEdgePx, signal);
  }

  async readAssociatedImage(
    name: string,
    options: { allowIdentifying: boolean },
  ): Promise<RgbImage> {
    if (!options.allowIdentifying) throw new AssociatedImageHiddenError();
    throw new SlideReadError(
      `the slide has no associated image "${name}" (DICOM labels are separate files)`,
    );
  }

  async close(): Promise<void> {
    this.data.frames.length = 0;
  }
}

function describe(data: DicomSlideDataset): SlideInfo {
  return {
    format: 'dicom-wsi',
    vendor: data.manufacturer,
    reader: 'dicom',
    widthPx: data.totalWidthPx,
    heightPx: data.totalHeightPx,
    levels: [
      {
        index: 0,
        widthPx: data.totalWidthPx,
        heightPx: data.totalHeightPx,
        downsample: 1,
        tileWidthPx: data.frameWidthPx,
        tileHeightPx: data.frameHeightPx,
      },
    ],
    mpp: resolveMpp({ dicomPixelSpacingMm: data.pixelSpacingMm }),
    objectivePower: data.objectivePower,
    associatedImages: [],
    hasIccProfile: data.hasIccProfile,
  };
}

/** Opens a single-file DICOM-WSI instance. */
export async function openDicomSlide(
  path: string,
  fileSizeBytes: number,
): Promise<SlideReader> {
  if (fileSizeBytes > MAX_IN_MEMORY_BYTES) {
    throw new SlideTooLargeError(
      `This DICOM file is ${Math.round(fileSizeBytes / 2 ** 20)} MB; single-file DICOM over 1 GB is not supported yet.`,
    );
  }
  const bytes = await readFile(path);
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  );
  return new DicomSlideReader(readDicomSlideDataset(buffer as ArrayBuffer));
}

/** Placement rule used for this slide (for tests and diagnostics). */
export function dicomFramePlacement(buffer: ArrayBuffer): DicomSlideDataset['placement'] {
  return readDicomSlideDataset(buffer).placement;
}
