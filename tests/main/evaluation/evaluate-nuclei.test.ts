import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultBundlePath } from '../../../src-main/analysis/default-bundle';
import { evaluateNuclei } from '../../../src-main/evaluation/evaluate-nuclei';
import type { NucleiEvaluationReport } from '../../../src-main/evaluation/evaluation-report';
import { instanceStats } from '../../../src-main/evaluation/instance-overlap';
import { readLabelImage } from '../../../src-main/evaluation/label-readers';
import { describeWithData, sharedDataPath } from '../../support/shared-data';

const SIZE_PX = 256;
const NUCLEI = [
  { x: 40, y: 40 },
  { x: 120, y: 60 },
  { x: 200, y: 50 },
  { x: 70, y: 150 },
  { x: 160, y: 170 },
  { x: 220, y: 220 },
];

/** A pink field with dark purple discs of 7 px radius: a crude H&E look. */
async function writeSyntheticTile(file: string): Promise<void> {
  const data = new Uint8Array(SIZE_PX * SIZE_PX * 3);
  for (let i = 0; i < SIZE_PX * SIZE_PX; i += 1) {
    const x = i % SIZE_PX;
    const y = Math.floor(i / SIZE_PX);
    const isNucleus = NUCLEI.some((n) => Math.hypot(n.x - x, n.y - y) <= 7);
    data.set(isNucleus ? [70, 40, 120] : [235, 190, 215], i * 3);
  }
  await sharp(data, { raw: { width: SIZE_PX, height: SIZE_PX, channels: 3 } })
    .png()
    .toFile(file);
}

async function emptyFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'eval-nuclei-'));
}

const BASE = { bundleFolder: defaultBundlePath(), threads: 1 };

describe('evaluateNuclei', () => {
  let report: NucleiEvaluationReport;
  beforeAll(async () => {
    const folder = await emptyFolder();
    await writeSyntheticTile(path.join(folder, 'synthetic.png'));
    const rows = NUCLEI.map((n) => `${n.x},${n.y}`).join('\n');
    await writeFile(path.join(folder, 'synthetic.points.csv'), `x,y\n${rows}\n`);
    report = await evaluateNuclei({ ...BASE, folder });
  });

  it('scores detection only and marks PQ and AJI as not applicable when labels are points', () => {
    const [image] = report.perImage;

    expect(image).toMatchObject({
      name: 'synthetic',
      labelFormat: 'points-csv',
      truthCount: 6,
    });
    expect(image?.segmentation).toBeNull();
    expect(report.summary.segmentation).toBeNull();
    expect(image?.detection.f1).toBeGreaterThanOrEqual(0);
    expect(image?.detection.f1).toBeLessThanOrEqual(1);
    expect(image?.classes).toBeNull();
  });

  it('states the radius in pixels and micrometres when none is given', () => {
    expect(report.matching).toMatchObject({ radiusPx: 6, radiusMicrons: 1.5 });
    expect(report.resolution).toMatchObject({ imageMpp: 0.25, isImageMppAssumed: true });
  });

  it('names the bundle and the hash of its model file', () => {
    expect(report.bundle.id).toBe('cellvit-optimus-default');
    expect(report.bundle.graphFiles[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.timing.modelTileCount).toBe(1);
  });

  it('rejects a missing folder before loading any model', async () => {
    await expect(evaluateNuclei({ ...BASE, folder: '/no/such/tiles' })).rejects.toThrow(
      'No folder at /no/such/tiles.',
    );
  });

  it('rejects a label map whose size differs from its image', async () => {
    const folder = await emptyFolder();
    await writeSyntheticTile(path.join(folder, 'a.png'));
    await sharp(Buffer.alloc(SIZE_PX * 200), {
      raw: { width: SIZE_PX, height: 200, channels: 1 },
    })
      .png()
      .toFile(path.join(folder, 'a_inst.png'));

    await expect(evaluateNuclei({ ...BASE, folder })).rejects.toThrow(
      'Label a_inst.png is 256x200 px but image a is 256x256 px.',
    );
  });

  it('asks for --types when the labels carry type codes and none is given', async () => {
    const folder = await emptyFolder();
    await writeSyntheticTile(path.join(folder, 'a.png'));
    await writeFile(path.join(folder, 'a.points.csv'), 'x,y,class\n40,40,2\n');

    await expect(evaluateNuclei({ ...BASE, folder })).rejects.toThrow(/give --types/);
  });

  it('rejects a simulated mpp finer than the images', async () => {
    const folder = await emptyFolder();
    await writeSyntheticTile(path.join(folder, 'a.png'));
    await writeFile(path.join(folder, 'a.points.csv'), 'x,y\n40,40\n');

    await expect(evaluateNuclei({ ...BASE, folder, simulateMpp: 0.2 })).rejects.toThrow(
      /--simulate-mpp 0.2 must be coarser/,
    );
  });
});

describeWithData('evaluateNuclei on a PanNuke demo patch', () => {
  const ID = '00000010';
  let folder = '';
  beforeAll(async () => {
    folder = await emptyFolder();
    await mkdir(path.join(folder, 'labels_png'));
    const source = sharedDataPath('pannuke-breast-demo');
    await copyFile(path.join(source, `${ID}.png`), path.join(folder, `${ID}.png`));
    for (const suffix of ['inst', 'type']) {
      const file = path.join('labels_png', `${ID}_${suffix}.png`);
      await copyFile(path.join(source, file), path.join(folder, file));
    }
  });

  it('scores neoplastic nuclei only when the type codes are PanNuke-demo ones', async () => {
    const report = await evaluateNuclei({ ...BASE, folder, types: 'pannuke-demo' });

    expect(report.data.scoredClasses).toEqual([
      { index: 3, name: 'epithelial-or-neoplastic' },
    ]);
    expect(report.perImage[0]?.bundleSplits).toEqual(['pannuke-demo/val']);
    expect(report.data.seenImageCount).toBe(1);
  });

  it('gives the same detection F1 from points at the true centroids as from the instance map', async () => {
    const byInstances = await evaluateNuclei({ ...BASE, folder, types: 'none' });
    const truth = await readLabelImage(path.join(folder, 'labels_png', `${ID}_inst.png`));
    const pointsFolder = await emptyFolder();
    await copyFile(path.join(folder, `${ID}.png`), path.join(pointsFolder, `${ID}.png`));
    const rows = [...instanceStats(truth).centroid.values()].map((c) => `${c.x},${c.y}`);
    await writeFile(
      path.join(pointsFolder, `${ID}.points.csv`),
      `x,y\n${rows.join('\n')}\n`,
    );

    const byPoints = await evaluateNuclei({ ...BASE, folder: pointsFolder });

    expect(byPoints.perImage[0]?.detection).toEqual(byInstances.perImage[0]?.detection);
    // Not a quality figure (one patch): the instance path segments, the points path does not.
    expect(byInstances.perImage[0]?.segmentation?.pq).toBeGreaterThan(0.1);
    expect(byPoints.perImage[0]?.segmentation).toBeNull();
  });
});

describeWithData('evaluateNuclei with isHeldOutOnly', () => {
  /** PanNuke demo patches the bundle's splits name as validation and as test. */
  const VALIDATION_ID = '00000010';
  const TEST_ID = '00000097';
  let folder = '';
  beforeAll(async () => {
    folder = await emptyFolder();
    await mkdir(path.join(folder, 'labels_png'));
    const source = sharedDataPath('pannuke-breast-demo');
    for (const id of [VALIDATION_ID, TEST_ID]) {
      await copyFile(path.join(source, `${id}.png`), path.join(folder, `${id}.png`));
      for (const suffix of ['inst', 'type']) {
        const file = path.join('labels_png', `${id}_${suffix}.png`);
        await copyFile(path.join(source, file), path.join(folder, file));
      }
    }
  });

  it('scores only the images no training, validation or calibration split names', async () => {
    const report = await evaluateNuclei({
      ...BASE,
      folder,
      types: 'pannuke-demo',
      isHeldOutOnly: true,
    });
    expect(report.perImage.map((image) => image.name)).toEqual([TEST_ID]);
    expect(report.data.seenImageCount).toBe(0);
  });

  it('refuses when every image helped build the bundle', async () => {
    const onlySeen = await emptyFolder();
    await copyFile(
      path.join(folder, `${VALIDATION_ID}.png`),
      path.join(onlySeen, `${VALIDATION_ID}.png`),
    );
    await mkdir(path.join(onlySeen, 'labels_png'));
    const file = path.join('labels_png', `${VALIDATION_ID}_inst.png`);
    await copyFile(path.join(folder, file), path.join(onlySeen, file));
    await expect(
      evaluateNuclei({ ...BASE, folder: onlySeen, isHeldOutOnly: true }),
    ).rejects.toThrow(/Every image is named by a split/);
  });
});
