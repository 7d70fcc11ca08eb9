/**
 * Reads the ground truth of one image: 16-bit instance PNGs (with an optional 8-bit
 * type map), ImageScope XML outlines, or a CSV list of nucleus points.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { FillSize } from '../../src-shared/polygon-fill';
import { imageSize, readLabelCrop } from '../uncertainty/evaluation/image-tiles';
import { EvaluationInputError } from './evaluation-errors';
import { readImageScopeInstances } from './imagescope-xml';
import type { InstanceMap } from './instance-overlap';
import type { AnnotatedImage, LabelSource } from './tile-folder';
import { instanceClasses, type TypeMapping } from './type-mappings';

/** A true nucleus given as a point, image pixels (pixel i spans [i, i + 1)). */
export interface TruthPoint {
  x: number;
  y: number;
  /** Bundle class index, or `null` when not given or not mappable. */
  classIndex: number | null;
}

/** The labels of one image. */
export type GroundTruth =
  | {
      kind: 'instances';
      map: InstanceMap;
      /** Class index per instance id (`null`: type unknown); `null` when untyped. */
      classes: Map<number, number | null> | null;
    }
  | { kind: 'points'; points: TruthPoint[]; hasClasses: boolean };

/** Throws unless every label image of `image` has the image's size. */
export async function assertLabelSize(image: AnnotatedImage): Promise<void> {
  const { labels } = image;
  if (labels.format !== 'instance-png') return;
  const expected = await imageSize(image.imagePath);
  for (const file of [labels.instancePath, labels.typePath]) {
    if (file === null) continue;
    const actual = await imageSize(file);
    if (actual.widthPx !== expected.widthPx || actual.heightPx !== expected.heightPx) {
      throw new EvaluationInputError(
        `Label ${path.basename(file)} is ${actual.widthPx}x${actual.heightPx} px but image ` +
          `${image.name} is ${expected.widthPx}x${expected.heightPx} px.`,
      );
    }
  }
}

/** Reads a single-channel 8- or 16-bit label image as integers. */
export async function readLabelImage(file: string): Promise<InstanceMap> {
  const meta = await sharp(file).metadata();
  if (meta.channels !== 1 && meta.channels !== 2) {
    throw new EvaluationInputError(
      `Label ${path.basename(file)} has ${meta.channels} channels; ` +
        'expected one grey channel.',
    );
  }
  const { widthPx, heightPx } = await imageSize(file);
  const labels = await readLabelCrop(file, {
    x: 0,
    y: 0,
    width: widthPx,
    height: heightPx,
  });
  return { widthPx, heightPx, labels };
}

/** The ground truth of one image of `size`, types mapped through `mapping` when given. */
export async function readGroundTruth(
  labels: LabelSource,
  context: { size: FillSize; mapping: TypeMapping | null },
): Promise<GroundTruth> {
  const { size, mapping } = context;
  if (labels.format === 'imagescope-xml') {
    return {
      kind: 'instances',
      map: await readImageScopeInstances(labels.xmlPath, size),
      classes: null,
    };
  }
  if (labels.format === 'points-csv') {
    const text = await readFile(labels.csvPath, 'utf8');
    const points = parsePointsCsv(text, {
      size,
      mapping,
      fileName: path.basename(labels.csvPath),
    });
    return {
      kind: 'points',
      points,
      hasClasses: mapping !== null && hasClassColumn(text),
    };
  }

  const map = await readLabelImage(labels.instancePath);
  if (!labels.typePath || !mapping) return { kind: 'instances', map, classes: null };
  const types = await readLabelImage(labels.typePath);
  return { kind: 'instances', map, classes: instanceClasses(map, types.labels, mapping) };
}

function isInside(point: { x: number; y: number }, size: FillSize): boolean {
  const { x, y } = point;
  return x >= 0 && y >= 0 && x < size.widthPx && y < size.heightPx;
}

function hasClassColumn(text: string): boolean {
  return headerOf(text).includes('class');
}

function headerOf(text: string): string[] {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').map((column) => column.trim().toLowerCase());
}

/**
 * Parses `x,y[,class]` rows under a header naming the columns; an empty class is
 * unknown, and class codes are mapped through `mapping` (unknown without one).
 */
export function parsePointsCsv(
  text: string,
  context: { size: FillSize; mapping: TypeMapping | null; fileName: string },
): TruthPoint[] {
  const { size, mapping, fileName } = context;
  const header = headerOf(text);
  const [xColumn, yColumn, classColumn] = ['x', 'y', 'class'].map((n) =>
    header.indexOf(n),
  );
  if (xColumn === -1 || yColumn === -1) {
    throw new EvaluationInputError(`${fileName} needs a header with x and y columns.`);
  }

  const points: TruthPoint[] = [];
  text
    .split(/\r?\n/)
    .slice(1)
    .forEach((row, i) => {
      if (row.trim() === '') return;
      const cells = row.split(',').map((cell) => cell.trim());
      const read = (column: number) => (cells[column] ? Number(cells[column]) : NaN);
      const point = { x: read(xColumn as number), y: read(yColumn as number) };
      if (!isInside(point, size)) {
        throw new EvaluationInputError(
          `${fileName} line ${i + 2}: "${row.trim()}" is not a point inside the ` +
            `${size.widthPx}x${size.heightPx} px image.`,
        );
      }
      const code = classColumn === -1 ? '' : (cells[classColumn as number] ?? '');
      const classIndex =
        code === '' || !mapping ? null : (mapping.get(Number(code)) ?? null);
      points.push({ ...point, classIndex });
    });
  return points;
}
