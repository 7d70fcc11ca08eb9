import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { EvaluationInputError } from '../../../src-main/evaluation/evaluation-errors';
import {
  assertLabelSize,
  parsePointsCsv,
  readGroundTruth,
  readLabelImage,
} from '../../../src-main/evaluation/label-readers';
import { CONSEP_TO_NT } from '../../../src-main/evaluation/type-mappings';
import { describeWithData, sharedDataPath } from '../../support/shared-data';

const SIZE = { widthPx: 100, heightPx: 80 };

describe('parsePointsCsv', () => {
  it('reads x, y and a mapped class when the header names them in any order', () => {
    const text = 'class,y,x\n2,10.5,20\n,3,4\n\n9,1,1\n';

    const points = parsePointsCsv(text, {
      size: SIZE,
      mapping: CONSEP_TO_NT,
      fileName: 'a.csv',
    });

    // CoNSeP 2 (inflammatory) is class 1; an empty class or an unmapped code is unknown.
    expect(points).toEqual([
      { x: 20, y: 10.5, classIndex: 1 },
      { x: 4, y: 3, classIndex: null },
      { x: 1, y: 1, classIndex: null },
    ]);
  });

  it('leaves every class unknown when no type mapping is given', () => {
    const points = parsePointsCsv('x,y,class\n1,2,3\n', {
      size: SIZE,
      mapping: null,
      fileName: 'a.csv',
    });

    expect(points).toEqual([{ x: 1, y: 2, classIndex: null }]);
  });

  it('names the file and line when a point lies outside the image', () => {
    expect(() =>
      parsePointsCsv('x,y\n1,2\n100,5\n', {
        size: SIZE,
        mapping: null,
        fileName: 'a.csv',
      }),
    ).toThrow('a.csv line 3: "100,5" is not a point inside the 100x80 px image.');
  });

  it('rejects a row with an empty coordinate rather than reading it as 0', () => {
    expect(() =>
      parsePointsCsv('x,y\n,2\n', { size: SIZE, mapping: null, fileName: 'a.csv' }),
    ).toThrow(/line 2/);
  });

  it('throws an input error when the header lacks x or y', () => {
    expect(() =>
      parsePointsCsv('col,row\n1,2\n', { size: SIZE, mapping: null, fileName: 'a.csv' }),
    ).toThrow(EvaluationInputError);
  });
});

async function writeGrey(file: string, size: { widthPx: number; heightPx: number }) {
  await sharp(Buffer.alloc(size.widthPx * size.heightPx), {
    raw: { width: size.widthPx, height: size.heightPx, channels: 1 },
  })
    .png()
    .toFile(file);
}

describe('assertLabelSize', () => {
  it('throws naming both sizes when the label map differs from the image', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'labels-'));
    const imagePath = path.join(folder, 'a.png');
    const instancePath = path.join(folder, 'a_inst.png');
    await writeGrey(imagePath, { widthPx: 32, heightPx: 32 });
    await writeGrey(instancePath, { widthPx: 32, heightPx: 30 });

    await expect(
      assertLabelSize({
        name: 'a',
        imagePath,
        labels: { format: 'instance-png', instancePath, typePath: null },
      }),
    ).rejects.toThrow('Label a_inst.png is 32x30 px but image a is 32x32 px.');
  });
});

describe('readGroundTruth', () => {
  it('reports point labels as typed only when the CSV has a class column and a mapping is given', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'points-'));
    const csvPath = path.join(folder, 'a.points.csv');
    await writeFile(csvPath, 'x,y,class\n5,5,3\n');

    const truth = await readGroundTruth(
      { format: 'points-csv', csvPath },
      { size: SIZE, mapping: CONSEP_TO_NT },
    );

    expect(truth).toEqual({
      kind: 'points',
      points: [{ x: 5, y: 5, classIndex: 3 }],
      hasClasses: true,
    });
  });
});

describeWithData('readLabelImage on real label maps', () => {
  it('keeps 16 bits when reading a MoNuSeg instance map', async () => {
    const map = await readLabelImage(
      sharedDataPath(
        'monuseg',
        'test',
        'labels_png',
        'TCGA-2Z-A9J9-01A-01-TS1_label.png',
      ),
    );

    let max = 0;
    for (const label of map.labels) max = Math.max(max, label);
    expect(map).toMatchObject({ widthPx: 1000, heightPx: 1000 });
    expect(max).toBe(575);
    expect(new Set(map.labels).size).toBe(576);
  });

  it('maps each CoNSeP instance to a bundle class when reading its type map', async () => {
    const truth = await readGroundTruth(
      {
        format: 'instance-png',
        instancePath: sharedDataPath('consep', 'train', 'train_1_inst.png'),
        typePath: sharedDataPath('consep', 'train', 'train_1_type.png'),
      },
      { size: { widthPx: 1000, heightPx: 1000 }, mapping: CONSEP_TO_NT },
    );

    if (truth.kind !== 'instances' || !truth.classes)
      throw new Error('Expected typed instances.');
    const counts = new Map<number | null, number>();
    for (const c of truth.classes.values()) counts.set(c, (counts.get(c) ?? 0) + 1);
    // tiles.csv: 9 other, 95 inflammatory, 287 epithelial, 459 spindle.
    expect(Object.fromEntries(counts)).toEqual({ 1: 95, 2: 459, 3: 287, 4: 9 });
  });
});
