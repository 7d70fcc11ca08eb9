/**
 * Loads the TIFF image file directories (IFDs) a slide needs, SubIFDs
 * included, through geotiff's parser, and checks each against the file size so
 * a damaged or hostile header fails when the slide opens.
 */
import { fromFile, type GeoTIFF, type ImageFileDirectory } from 'geotiff';
import { CorruptSlideError, SlideTooLargeError } from '../slide-errors';
import { MAX_REGION_PIXELS } from '../region-request';

/** The fields of one IFD the readers use; blocks are tiles or, for stripped images, strips. */
export interface TiffDirectory {
  widthPx: number;
  heightPx: number;
  /** Tile size, or image width x RowsPerStrip for stripped images. */
  blockWidthPx: number;
  blockHeightPx: number;
  isTiled: boolean;
  compression: number;
  photometric: number;
  samplesPerPixel: number;
  bitsPerSample: number[];
  planarConfiguration: number;
  predictor: number;
  blockOffsets: number[];
  blockByteCounts: number[];
  jpegTables?: Uint8Array;
  description: string;
  newSubfileType: number;
  resolution?: { pixelsPerUnitX: number; pixelsPerUnitY: number; unit: number };
  hasIccProfile: boolean;
  subIfdOffsets: number[];
}

/** Largest plausible slide edge: a 25 mm scan at 0.1 µm/px is 250,000 px. */
const MAX_EDGE_PX = 1_000_000;

/** Opens the file with geotiff; a file that is not a TIFF throws `null`-free typed errors. */
export async function openTiff(path: string): Promise<GeoTIFF> {
  try {
    return await fromFile(path);
  } catch (error) {
    throw new CorruptSlideError('the TIFF header cannot be read', { cause: error });
  }
}

/** All top-level IFDs, in file order. */
export async function readTopLevelDirectories(
  tiff: GeoTIFF,
  fileSizeBytes: number,
): Promise<TiffDirectory[]> {
  try {
    const count = await tiff.getImageCount();
    const directories: TiffDirectory[] = [];
    let directoryOffset = tiff.firstIFDOffset;
    for (let index = 0; index < count; index++) {
      checkInsideFile(directoryOffset, fileSizeBytes);
      const image = await tiff.getImage(index);
      directories.push(await loadDirectory(image.fileDirectory, fileSizeBytes));
      directoryOffset = image.fileDirectory.nextIFDByteOffset;
    }
    return directories;
  } catch (error) {
    if (error instanceof CorruptSlideError || error instanceof SlideTooLargeError)
      throw error;
    throw new CorruptSlideError('a TIFF directory is truncated or invalid', {
      cause: error,
    });
  }
}

/**
 * An image directory past the end of the file means the file was cut short (an
 * interrupted copy); geotiff would read zeros there and report an empty image.
 */
function checkInsideFile(directoryOffset: number, fileSizeBytes: number): void {
  if (directoryOffset > 0 && directoryOffset < fileSizeBytes) return;
  throw new CorruptSlideError(
    `it is truncated: it ends at byte ${fileSizeBytes}, before its image directory ` +
      `at byte ${directoryOffset}`,
  );
}

/** The IFDs a SubIFDs tag points to (OME-TIFF pyramids). */
export async function readSubDirectories(
  tiff: GeoTIFF,
  context: { offsets: number[]; fileSizeBytes: number },
): Promise<TiffDirectory[]> {
  const directories: TiffDirectory[] = [];
  for (const offset of context.offsets) {
    if (offset <= 0 || offset >= context.fileSizeBytes) {
      throw new CorruptSlideError('a SubIFD offset points outside the file');
    }
    try {
      const raw = await tiff.parser.parseFileDirectoryAt(offset);
      directories.push(await loadDirectory(raw, context.fileSizeBytes));
    } catch (error) {
      if (error instanceof CorruptSlideError || error instanceof SlideTooLargeError)
        throw error;
      throw new CorruptSlideError('a SubIFD is truncated or invalid', { cause: error });
    }
  }
  return directories;
}

type TagName = Parameters<ImageFileDirectory['loadValue']>[0];

async function numbers(dir: ImageFileDirectory, tag: TagName): Promise<number[]> {
  if (!dir.hasTag(tag)) return [];
  const value: unknown = await dir.loadValue(tag);
  if (typeof value === 'number' || typeof value === 'bigint') return [Number(value)];
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return Array.from(value as ArrayLike<number | bigint>, Number);
  }
  return [];
}

async function first(
  dir: ImageFileDirectory,
  tag: TagName,
  fallback: number,
): Promise<number> {
  return (await numbers(dir, tag))[0] ?? fallback;
}

/** A TIFF RATIONAL as geotiff returns it (a number, or numerator and denominator). */
function rational(values: number[]): number {
  const [numerator = NaN, denominator] = values;
  return denominator === undefined ? numerator : numerator / denominator;
}

async function loadDirectory(
  dir: ImageFileDirectory,
  fileSizeBytes: number,
): Promise<TiffDirectory> {
  const widthPx = await first(dir, 'ImageWidth', 0);
  const heightPx = await first(dir, 'ImageLength', 0);
  const isTiled = dir.hasTag('TileWidth');
  const blockWidthPx = isTiled ? await first(dir, 'TileWidth', 0) : widthPx;
  const blockHeightPx = isTiled
    ? await first(dir, 'TileLength', 0)
    : Math.min(heightPx, await first(dir, 'RowsPerStrip', heightPx));
  checkGeometry({ widthPx, heightPx, blockWidthPx, blockHeightPx });

  const blocks = await loadBlocks(dir, { isTiled, fileSizeBytes });
  const expectedBlocks =
    Math.ceil(widthPx / blockWidthPx) * Math.ceil(heightPx / blockHeightPx);
  if (blocks.offsets.length < expectedBlocks) {
    throw new CorruptSlideError(
      `an image lists ${blocks.offsets.length} tiles where its size needs ${expectedBlocks}`,
    );
  }
  return {
    widthPx,
    heightPx,
    blockWidthPx,
    blockHeightPx,
    isTiled,
    ...(await loadPixelFormat(dir)),
    blockOffsets: blocks.offsets,
    blockByteCounts: blocks.byteCounts,
    ...(await loadDescriptive(dir)),
  };
}

function checkGeometry(size: {
  widthPx: number;
  heightPx: number;
  blockWidthPx: number;
  blockHeightPx: number;
}): void {
  const { widthPx, heightPx, blockWidthPx, blockHeightPx } = size;
  if (!(widthPx >= 1 && heightPx >= 1 && blockWidthPx >= 1 && blockHeightPx >= 1)) {
    throw new CorruptSlideError(`an image declares an empty size ${widthPx}x${heightPx}`);
  }
  if (widthPx > MAX_EDGE_PX || heightPx > MAX_EDGE_PX) {
    throw new SlideTooLargeError(
      `The file declares an image of ${widthPx}x${heightPx} px, beyond any real slide ` +
        `(${MAX_EDGE_PX} px per edge); it is damaged or not a slide.`,
    );
  }
  if (blockWidthPx * blockHeightPx > MAX_REGION_PIXELS) {
    throw new SlideTooLargeError(
      `The file stores ${blockWidthPx}x${blockHeightPx} px in one block, too large to decode safely.`,
    );
  }
}

async function loadBlocks(
  dir: ImageFileDirectory,
  context: { isTiled: boolean; fileSizeBytes: number },
): Promise<{ offsets: number[]; byteCounts: number[] }> {
  const offsets = await numbers(dir, context.isTiled ? 'TileOffsets' : 'StripOffsets');
  const byteCounts = await numbers(
    dir,
    context.isTiled ? 'TileByteCounts' : 'StripByteCounts',
  );
  if (offsets.length !== byteCounts.length) {
    throw new CorruptSlideError('tile offsets and tile sizes do not match in number');
  }
  offsets.forEach((offset, index) => {
    if (offset + (byteCounts[index] ?? 0) > context.fileSizeBytes) {
      throw new CorruptSlideError(
        'a tile lies past the end of the file (the file is truncated or damaged)',
      );
    }
  });
  return { offsets, byteCounts };
}

async function loadPixelFormat(dir: ImageFileDirectory) {
  const bitsPerSample = await numbers(dir, 'BitsPerSample');
  return {
    compression: await first(dir, 'Compression', 1),
    photometric: await first(dir, 'PhotometricInterpretation', 2),
    samplesPerPixel: await first(dir, 'SamplesPerPixel', 1),
    bitsPerSample: bitsPerSample.length ? bitsPerSample : [1],
    planarConfiguration: await first(dir, 'PlanarConfiguration', 1),
    predictor: await first(dir, 'Predictor', 1),
    jpegTables: dir.hasTag('JPEGTables')
      ? Uint8Array.from(await numbers(dir, 'JPEGTables'))
      : undefined,
  };
}

async function loadDescriptive(dir: ImageFileDirectory) {
  const description = dir.hasTag('ImageDescription')
    ? String(await dir.loadValue('ImageDescription'))
    : '';
  const xRes = rational(await numbers(dir, 'XResolution'));
  const yRes = rational(await numbers(dir, 'YResolution'));
  const unit = await first(dir, 'ResolutionUnit', 2);
  return {
    description,
    newSubfileType: await first(dir, 'NewSubfileType', 0),
    resolution:
      xRes > 0 && yRes > 0
        ? { pixelsPerUnitX: xRes, pixelsPerUnitY: yRes, unit }
        : undefined,
    hasIccProfile: dir.hasTag('ICCProfile') || dir.hasTag(34675),
    subIfdOffsets: await numbers(dir, 'SubIFDs'),
  };
}
