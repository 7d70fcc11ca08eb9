/**
 * Where each frame of a DICOM whole-slide image lies in the total pixel matrix,
 * derived from the dataset's own attributes, in this order of authority:
 *
 * 1. per-frame positions (PlanePositionSlideSequence Column/Row
 *    PositionInTotalImagePixelMatrix), the explicit answer;
 * 2. DimensionOrganizationType TILED_FULL: the standard fixes frame order as
 *    row-major over the total pixel matrix;
 * 3. neither (older converters): frames follow the scanner's stage, whose fast
 *    axis is the slide's X axis; ImageOrientationSlide says which matrix
 *    direction that is. With [0,-1,0,-1,0,0] moving down a matrix column runs
 *    along slide X, so frames fill the matrix column by column.
 */

type Dataset = Record<string, unknown>;

/** Top-left of each frame in total-pixel-matrix pixels, in file order, and how it was derived. */
export interface FramePlacement {
  origins: Array<{ x: number; y: number }>;
  derivedFrom: 'per-frame-positions' | 'tiled-full' | 'slide-orientation';
}

interface MatrixSize {
  totalWidthPx: number;
  totalHeightPx: number;
  frameWidthPx: number;
  frameHeightPx: number;
  frameCount: number;
}

function perFramePositions(dataset: Dataset, frameCount: number): FramePlacement | null {
  const groups = dataset.PerFrameFunctionalGroupsSequence;
  if (!Array.isArray(groups) || groups.length < frameCount) return null;
  const origins: Array<{ x: number; y: number }> = [];
  for (const group of groups.slice(0, frameCount) as Dataset[]) {
    const raw = group?.PlanePositionSlideSequence;
    const position = (Array.isArray(raw) ? raw[0] : raw) as Dataset | undefined;
    const column = Number(position?.ColumnPositionInTotalImagePixelMatrix);
    const row = Number(position?.RowPositionInTotalImagePixelMatrix);
    if (!Number.isFinite(column) || !Number.isFinite(row)) return null;
    origins.push({ x: column - 1, y: row - 1 });
  }
  return { origins, derivedFrom: 'per-frame-positions' };
}

/**
 * Whether the scanner's fast (slide X) axis runs down the matrix columns:
 * true when the column direction cosine (second triplet) is mostly along X.
 */
export function isSlideXAlongMatrixColumns(orientation: unknown): boolean {
  if (!Array.isArray(orientation) || orientation.length < 6) return false;
  const [rowX, rowY, , columnX, columnY] = orientation.map(Number) as number[];
  return Math.abs(columnX!) > Math.abs(columnY!) && Math.abs(rowY!) > Math.abs(rowX!);
}

function grid(size: MatrixSize, isColumnMajor: boolean): Array<{ x: number; y: number }> {
  const columns = Math.ceil(size.totalWidthPx / size.frameWidthPx);
  const rows = Math.ceil(size.totalHeightPx / size.frameHeightPx);
  return Array.from({ length: Math.min(size.frameCount, columns * rows) }, (_, index) => {
    const column = isColumnMajor ? Math.floor(index / rows) : index % columns;
    const row = isColumnMajor ? index % rows : Math.floor(index / columns);
    return { x: column * size.frameWidthPx, y: row * size.frameHeightPx };
  });
}

/** Derives frame origins from the dataset (see the module comment for the rules). */
export function placeFrames(dataset: Dataset, size: MatrixSize): FramePlacement {
  const explicit = perFramePositions(dataset, size.frameCount);
  if (explicit) return explicit;
  if (dataset.DimensionOrganizationType === 'TILED_FULL') {
    return { origins: grid(size, false), derivedFrom: 'tiled-full' };
  }
  const isColumnMajor = isSlideXAlongMatrixColumns(dataset.ImageOrientationSlide);
  return { origins: grid(size, isColumnMajor), derivedFrom: 'slide-orientation' };
}
