import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NucleiEvaluationReport } from '../../../src-main/evaluation/evaluation-report';
import {
  areaDownsample,
  resampleLabelsNearest,
} from '../../../src-main/evaluation/image-resampling';
import { readLabelImage } from '../../../src-main/evaluation/label-readers';
import { readRgbCrop } from '../../../src-main/uncertainty/evaluation/image-tiles';
import { describeWithData, sharedDataPath } from '../../support/shared-data';
import { BUNDLE_TARGET_MPP } from '../analysis/analysis-fixture';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TSX = path.join(root, 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(root, 'src-main', 'cli', 'eval-nuclei.ts');
const NUMBER = '([0-9]+\\.[0-9]+)';
const TILE = 'TCGA-2Z-A9J9-01A-01-TS1';

async function evalNuclei(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(TSX, [SCRIPT, ...args], {
    cwd: root,
    env: { ...process.env, CELLVIT_LOG_LEVEL: 'warn' },
    maxBuffer: 16 * 1024 * 1024,
  });
}

function meanFigures(stdout: string): {
  pq: number;
  dq: number;
  sq: number;
  aji: number;
  f1: number;
} {
  const match = new RegExp(
    `mean over \\d+ images: PQ ${NUMBER} DQ ${NUMBER} SQ ${NUMBER} AJI ${NUMBER}; ` +
      `detection F1 ${NUMBER}`,
  ).exec(stdout);
  if (!match) throw new Error('The report lacks the mean line.');
  const [pq, dq, sq, aji, f1] = match.slice(1).map(Number) as number[];
  return { pq: pq!, dq: dq!, sq: sq!, aji: aji!, f1: f1! };
}

describe('npm run eval:nuclei errors', () => {
  it('exits non-zero with one line naming the folder when it is missing', async () => {
    const failure = await evalNuclei(['/no/such/tiles']).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(
      'Evaluation failed: No folder at /no/such/tiles.\n',
    );
  });
});

describeWithData('npm run eval:nuclei -- monuseg/test --limit 2', () => {
  let stdout = '';
  let report: NucleiEvaluationReport;
  beforeAll(async () => {
    const jsonPath = path.join(
      await mkdtemp(path.join(tmpdir(), 'eval-nuclei-')),
      'r.json',
    );
    const folder = sharedDataPath('monuseg', 'test');
    ({ stdout } = await evalNuclei([folder, '--limit', '2', '--json', jsonPath]));
    report = JSON.parse(await readFile(jsonPath, 'utf8')) as NucleiEvaluationReport;
  }, 600_000);

  it('prints mean PQ, DQ, SQ, AJI and F1 in [0, 1] with a PQ the shipped model reaches', () => {
    const figures = meanFigures(stdout);

    for (const value of Object.values(figures)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(figures.pq).toBeGreaterThan(0.3);
    expect(figures.aji).toBeGreaterThan(0.2);
    expect(figures.f1).toBeGreaterThan(0.4);
  });

  it('names the data, the bundle with its model hash, the mpp and the radius', () => {
    expect(stdout).toMatch(/data: .*\(monuseg\/test\): 2 images, 1393 true nuclei/);
    expect(stdout).toMatch(
      /bundle: cellvit-optimus-default \S+; model\.onnx sha256 [0-9a-f]{64}/,
    );
    expect(stdout).toContain(
      "images taken to be at 0.25 mpp, the public tile sets' scale",
    );
    expect(stdout).toContain('detection radius: 6.00 px (1.50 um at 0.25 mpp)');
    expect(stdout).toContain('none of the 2 images is named by the bundle');
    // Two 1000 px tiles at 0.25 mpp, each covered by n x n tiles at the bundle's scale.
    const across = Math.ceil((1000 * 0.25) / BUNDLE_TARGET_MPP / (256 - 32));
    expect(stdout).toMatch(
      new RegExp(`model [0-9.]+ ms per 256 px tile \\(${2 * across * across} tiles`),
    );
  });

  it('prints one row per image with its counts and scores', () => {
    expect(stdout).toMatch(new RegExp(`${TILE}\\s+575\\s+\\d+(\\s+${NUMBER}){7}\\s+-`));
  });

  it('writes the same figures as JSON when given --json', () => {
    expect(report.perImage.map((image) => image.name)).toEqual([
      TILE,
      'TCGA-44-2665-01B-06-BS6',
    ]);
    expect(report.summary.segmentation?.pq.toFixed(3)).toBe(
      meanFigures(stdout).pq.toFixed(3),
    );
    expect(report.data).toMatchObject({
      dataset: 'monuseg/test',
      truthNucleusCount: 1393,
    });
  });
});

describeWithData('npm run eval:nuclei -- --image-mpp and --simulate-mpp', () => {
  let halfFolder = '';
  beforeAll(async () => {
    // A MoNuSeg tile downsampled by 2 (area for pixels, nearest for labels): 0.5 mpp.
    halfFolder = await mkdtemp(path.join(tmpdir(), 'eval-half-'));
    await mkdir(path.join(halfFolder, 'labels_png'));
    const image = await readRgbCrop(sharedDataPath('monuseg', 'test', `${TILE}.png`), {
      x: 0,
      y: 0,
      width: 1000,
      height: 1000,
    });
    const half = areaDownsample(image, 500, 500);
    await sharp(half.data, { raw: { width: 500, height: 500, channels: 3 } })
      .png()
      .toFile(path.join(halfFolder, `${TILE}.png`));
    const labels = await readLabelImage(
      sharedDataPath('monuseg', 'test', 'labels_png', `${TILE}_label.png`),
    );
    const halfLabels = resampleLabelsNearest(labels.labels, labels, {
      widthPx: 500,
      heightPx: 500,
    });
    await sharp(Uint16Array.from(halfLabels), {
      raw: { width: 500, height: 500, channels: 1 },
    })
      .toColourspace('grey16')
      .png()
      .toFile(path.join(halfFolder, 'labels_png', `${TILE}_label.png`));
  }, 120_000);

  it('segments a half-resolution tile at the bundle mpp and scores it on its own grid', async () => {
    const { stdout } = await evalNuclei([halfFolder, '--image-mpp', '0.5']);

    expect(stdout).toContain(
      BUNDLE_TARGET_MPP === 0.5
        ? 'images at 0.5 mpp (given); no resampling'
        : `images at 0.5 mpp (given); resampled to the bundle's ${BUNDLE_TARGET_MPP} mpp, ` +
            'predicted labels mapped back by nearest neighbour',
    );
    expect(stdout).toContain('detection radius: 3.00 px (1.50 um at 0.5 mpp)');
    expect(meanFigures(stdout).pq).toBeGreaterThan(0.2);
  }, 120_000);

  it('degrades the image to the simulated mpp and back when given --simulate-mpp', async () => {
    const folder = sharedDataPath('monuseg', 'test');
    const { stdout } = await evalNuclei([
      folder,
      '--limit',
      '1',
      '--simulate-mpp',
      '0.5',
    ]);

    expect(stdout).toContain(
      'each image first area-downsampled to 0.5 mpp and back up to its own grid',
    );
    const { pq } = meanFigures(stdout);
    expect(pq).toBeGreaterThanOrEqual(0);
    expect(pq).toBeLessThanOrEqual(1);
  }, 120_000);
});
