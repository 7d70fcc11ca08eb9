import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  buildOverlaySvg,
  writeOverlayPng,
} from '../../../src-main/analysis/nuclei-overlay';

/** Below and right of the legend, which covers the top-left corner. */
const SQUARE = [
  { x: 36, y: 36 },
  { x: 56, y: 36 },
  { x: 56, y: 56 },
  { x: 36, y: 56 },
];

function svgWith(legendName: string): string {
  return buildOverlaySvg({
    baseRect: { x: 0, y: 0, width: 64, height: 64 },
    downsample: 1,
    widthPx: 64,
    heightPx: 64,
    nuclei: [{ contourBase: SQUARE, colorHex: '#e3171e' }],
    legend: [{ name: legendName, colorHex: '#e3171e' }],
  });
}

const GREY = { data: new Uint8Array(64 * 64 * 3).fill(200), widthPx: 64, heightPx: 64 };

describe('buildOverlaySvg', () => {
  it('widens the legend background to hold its longest name', () => {
    const width = (svg: string) =>
      Number(/<rect x="2" y="2" width="(\d+)"/.exec(svg)![1]);

    expect(width(svgWith('epithelial-or-neoplastic'))).toBeGreaterThanOrEqual(
      24 + 24 * 6,
    );
    expect(width(svgWith('other'))).toBeLessThan(
      width(svgWith('epithelial-or-neoplastic')),
    );
  });
});

describe('writeOverlayPng', () => {
  it('writes a PNG with the outline drawn over the pixels', async () => {
    const outPath = path.join(await mkdtemp(path.join(tmpdir(), 'overlay-')), 'o.png');

    await writeOverlayPng({ image: GREY, svg: svgWith('x'), outPath });

    const { data, info } = await sharp(await readFile(outPath))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const onOutline = (46 * 64 + 56) * info.channels;
    expect(info.width).toBe(64);
    expect(data[onOutline]).toBeGreaterThan(data[onOutline + 1]! + 50);
  });

  it('reports EXPORT_FAILED with what to do when the output folder does not exist', async () => {
    const outPath = path.join(tmpdir(), 'no-such-folder-for-overlay', 'o.png');

    await expect(
      writeOverlayPng({ image: GREY, svg: svgWith('x'), outPath }),
    ).rejects.toMatchObject({ code: 'EXPORT_FAILED', message: /folder does not exist/ });
  });
});
