/**
 * Parses a single-file DICOM VL Whole Slide Microscopy instance with dcmjs and
 * extracts what the reader needs: the total pixel matrix, the frames and where
 * each frame lies in it, calibration and a few descriptive fields. Patient
 * attributes are never read out of the dataset.
 */
import dcmjs from 'dcmjs';
import { CorruptSlideError, UnsupportedSlideFormatError } from '../slide-errors';
import { placeFrames, type FramePlacement } from './frame-placement';

/** Transfer syntaxes whose frames sharp can decode: JPEG baseline/extended, and raw. */
const JPEG_SYNTAXES = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51']);
const RAW_SYNTAXES = new Set(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2']);

/** What the reader takes from the dataset. */
export interface DicomSlideDataset {
  totalWidthPx: number;
  totalHeightPx: number;
  frameWidthPx: number;
  frameHeightPx: number;
  /** Encoded (JPEG) or raw RGB bytes of each frame, in file order. */
  frames: Uint8Array[];
  isJpeg: boolean;
  placement: FramePlacement;
  pixelSpacingMm?: [number, number];
  objectivePower: number | null;
  manufacturer: string | null;
  hasIccProfile: boolean;
}

type Dataset = Record<string, unknown>;

function num(value: unknown): number | undefined {
  const n = Array.isArray(value) ? Number(value[0]) : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The first item of a sequence attribute, or `undefined`. */
export function item(dataset: Dataset | undefined, key: string): Dataset | undefined {
  const value = dataset?.[key];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'object' && first !== null ? (first as Dataset) : undefined;
}

function parse(buffer: ArrayBuffer): { dataset: Dataset; transferSyntax: string } {
  dcmjs.log.setLevel('error');
  try {
    const file = dcmjs.data.DicomMessage.readFile(buffer);
    const transferSyntax = String(file.meta['00020010']?.Value?.[0] ?? '');
    return {
      dataset: dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict),
      transferSyntax,
    };
  } catch (error) {
    throw new CorruptSlideError('the DICOM dataset cannot be parsed', { cause: error });
  }
}

function checkIsWholeSlide(dataset: Dataset, transferSyntax: string): void {
  if (dataset.SOPClassUID !== '1.2.840.10008.5.1.4.1.1.77.1.6') {
    throw new UnsupportedSlideFormatError(
      'a DICOM file that is not a VL Whole Slide Microscopy image',
    );
  }
  const imageType = Array.isArray(dataset.ImageType) ? dataset.ImageType.map(String) : [];
  if (imageType.includes('LABEL') || imageType.includes('OVERVIEW')) {
    throw new UnsupportedSlideFormatError(
      'a DICOM label or overview image, not the slide itself',
    );
  }
  if (!JPEG_SYNTAXES.has(transferSyntax) && !RAW_SYNTAXES.has(transferSyntax)) {
    throw new UnsupportedSlideFormatError(`DICOM transfer syntax ${transferSyntax}`);
  }
  if (num(dataset.SamplesPerPixel) !== 3 || num(dataset.BitsAllocated) !== 8) {
    throw new UnsupportedSlideFormatError('a DICOM image that is not 8-bit colour');
  }
}

function frameList(
  dataset: Dataset,
  context: { isJpeg: boolean; frameBytes: number },
): Uint8Array[] {
  const pixelData = dataset.PixelData;
  const count = num(dataset.NumberOfFrames) ?? 1;
  if (context.isJpeg && Array.isArray(pixelData)) {
    return pixelData.map((frame: ArrayBuffer) => new Uint8Array(frame));
  }
  const raw = Array.isArray(pixelData) ? pixelData[0] : pixelData;
  if (!(raw instanceof ArrayBuffer) || raw.byteLength < count * context.frameBytes) {
    throw new CorruptSlideError('the DICOM pixel data is shorter than its frames need');
  }
  return Array.from(
    { length: count },
    (_, i) => new Uint8Array(raw, i * context.frameBytes, context.frameBytes),
  );
}

function pixelSpacing(dataset: Dataset): [number, number] | undefined {
  const measures = item(
    item(dataset, 'SharedFunctionalGroupsSequence'),
    'PixelMeasuresSequence',
  );
  const spacing = measures?.PixelSpacing ?? dataset.PixelSpacing;
  if (!Array.isArray(spacing) || spacing.length < 2) return undefined;
  const [row, column] = spacing.map(Number);
  return row! > 0 && column! > 0 ? [row!, column!] : undefined;
}

/** Parses a whole DICOM file held in memory. */
export function readDicomSlideDataset(buffer: ArrayBuffer): DicomSlideDataset {
  const { dataset, transferSyntax } = parse(buffer);
  checkIsWholeSlide(dataset, transferSyntax);
  const totalWidthPx = num(dataset.TotalPixelMatrixColumns) ?? num(dataset.Columns) ?? 0;
  const totalHeightPx = num(dataset.TotalPixelMatrixRows) ?? num(dataset.Rows) ?? 0;
  const frameWidthPx = num(dataset.Columns) ?? 0;
  const frameHeightPx = num(dataset.Rows) ?? 0;
  if (!(totalWidthPx > 0 && totalHeightPx > 0 && frameWidthPx > 0 && frameHeightPx > 0)) {
    throw new CorruptSlideError('the DICOM image declares no pixel matrix size');
  }

  const isJpeg = JPEG_SYNTAXES.has(transferSyntax);
  const frames = frameList(dataset, {
    isJpeg,
    frameBytes: frameWidthPx * frameHeightPx * 3,
  });
  const size = { totalWidthPx, totalHeightPx, frameWidthPx, frameHeightPx };
  const opticalPath = item(dataset, 'OpticalPathSequence');
  return {
    ...size,
    frames,
    isJpeg,
    placement: placeFrames(dataset, { ...size, frameCount: frames.length }),
    pixelSpacingMm: pixelSpacing(dataset),
    objectivePower: num(opticalPath?.ObjectiveLensPower) ?? null,
    manufacturer: typeof dataset.Manufacturer === 'string' ? dataset.Manufacturer : null,
    hasIccProfile: opticalPath?.ICCProfile !== undefined,
  };
}
