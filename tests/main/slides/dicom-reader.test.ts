import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAllSlides, openSlide } from '../../../src-main/slides/open-slide';
import { dicomFramePlacement } from '../../../src-main/slides/dicom/dicom-reader';
import {
  isSlideXAlongMatrixColumns,
  placeFrames,
} from '../../../src-main/slides/dicom/frame-placement';
import type { RgbImage } from '../../../src-main/slides/slide-reader';
import { describeWithData, sharedSlide } from '../../support/shared-data';

afterAll(() => closeAllSlides());

const DICOM = 'TCGA-XK-AAJU-small.dcm';
const FRAME_PX = 500;

/** Mean absolute difference between pixel row/column `a` and `b` of an image (all channels). */
function lineDifference(
  image: RgbImage,
  lines: { a: number; b: number; isColumn: boolean },
): number {
  const { a, b, isColumn } = lines;
  const length = isColumn ? image.heightPx : image.widthPx;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const pa = isColumn ? (i * image.widthPx + a) * 3 : (a * image.widthPx + i) * 3;
    const pb = isColumn ? (i * image.widthPx + b) * 3 : (b * image.widthPx + i) * 3;
    for (let c = 0; c < 3; c++)
      sum += Math.abs(image.data[pa + c]! - image.data[pb + c]!);
  }
  return sum / (length * 3);
}

describe('placeFrames', () => {
  const size = {
    totalWidthPx: 1000,
    totalHeightPx: 1500,
    frameWidthPx: 500,
    frameHeightPx: 500,
    frameCount: 6,
  };

  it('uses per-frame positions when the dataset gives them (1-based to 0-based)', () => {
    const groups = [
      [1, 1],
      [501, 1],
      [1, 501],
      [501, 501],
      [1, 1001],
      [501, 1001],
    ].map(([column, row]) => ({
      PlanePositionSlideSequence: [
        {
          ColumnPositionInTotalImagePixelMatrix: column,
          RowPositionInTotalImagePixelMatrix: row,
        },
      ],
    }));
    const placement = placeFrames({ PerFrameFunctionalGroupsSequence: groups }, size);
    expect(placement.derivedFrom).toBe('per-frame-positions');
    expect(placement.origins[1]).toEqual({ x: 500, y: 0 });
  });

  it('fills rows first for TILED_FULL, as the standard requires', () => {
    const placement = placeFrames(
      {
        DimensionOrganizationType: 'TILED_FULL',
        ImageOrientationSlide: [0, -1, 0, -1, 0, 0],
      },
      size,
    );
    expect(placement.origins.slice(0, 3)).toEqual([
      { x: 0, y: 0 },
      { x: 500, y: 0 },
      { x: 0, y: 500 },
    ]);
  });

  it('fills columns first when no organisation is stated and slide X runs down the columns', () => {
    const placement = placeFrames({ ImageOrientationSlide: [0, -1, 0, -1, 0, 0] }, size);
    expect(placement.origins.slice(0, 3)).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 500 },
      { x: 0, y: 1000 },
    ]);
  });

  it('fills rows first when no organisation is stated and slide X runs along the rows', () => {
    expect(isSlideXAlongMatrixColumns([1, 0, 0, 0, -1, 0])).toBe(false);
  });
});

describeWithData('DICOM reader on the TCGA prostate sample', () => {
  it('derives a column-first placement from ImageOrientationSlide', () => {
    const bytes = readFileSync(sharedSlide(DICOM));
    const placement = dicomFramePlacement(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    expect(placement.derivedFrom).toBe('slide-orientation');
    expect(placement.origins[1]).toEqual({ x: 0, y: FRAME_PX });
  });

  it('joins neighbouring frames without a seam, unlike a row-major placement of the same frames', async () => {
    const slide = await openSlide(sharedSlide(DICOM));
    const image = await slide.readRegion({
      level: 0,
      baseX: 0,
      baseY: 0,
      widthPx: 3236,
      heightPx: 2638,
    });
    await slide.close();

    const across = (line: number, isColumn: boolean) =>
      lineDifference(image, { a: line - 1, b: line, isColumn });
    const within = (line: number, isColumn: boolean) =>
      lineDifference(image, { a: line - 2, b: line - 1, isColumn });
    const seams = [500, 1000, 1500, 2000, 2500, 3000].map(
      (x) => across(x, true) / within(x, true),
    );
    const rowSeams = [500, 1000, 1500, 2000, 2500].map(
      (y) => across(y, false) / within(y, false),
    );
    // A real seam (misplaced frame) makes the jump across a boundary many times the
    // difference between two neighbouring rows inside a frame; a true join stays near 1.
    for (const ratio of [...seams, ...rowSeams]) expect(ratio).toBeLessThan(2.5);
  });

  it('shows a clear seam when the same frames are placed row-major (the check has power)', async () => {
    const slide = await openSlide(sharedSlide(DICOM));
    const frames: RgbImage[] = [];
    for (let index = 0; index < 2; index++) {
      // Frames 0 and 1 in file order, read back from where the reader placed them (column 0, rows 0-1).
      frames.push(
        await slide.readRegion({
          level: 0,
          baseX: 0,
          baseY: index * FRAME_PX,
          widthPx: FRAME_PX,
          heightPx: FRAME_PX,
        }),
      );
    }
    await slide.close();
    const sideBySide: RgbImage = {
      widthPx: 2 * FRAME_PX,
      heightPx: FRAME_PX,
      data: new Uint8Array(2 * FRAME_PX * FRAME_PX * 3),
    };
    for (let y = 0; y < FRAME_PX; y++) {
      sideBySide.data.set(
        frames[0]!.data.subarray(y * FRAME_PX * 3, (y + 1) * FRAME_PX * 3),
        y * 2 * FRAME_PX * 3,
      );
      sideBySide.data.set(
        frames[1]!.data.subarray(y * FRAME_PX * 3, (y + 1) * FRAME_PX * 3),
        (y * 2 + 1) * FRAME_PX * 3,
      );
    }
    const jump = lineDifference(sideBySide, {
      a: FRAME_PX - 1,
      b: FRAME_PX,
      isColumn: true,
    });
    const inside = lineDifference(sideBySide, {
      a: FRAME_PX - 2,
      b: FRAME_PX - 1,
      isColumn: true,
    });
    expect(jump / inside).toBeGreaterThan(2.5);
  });
});
