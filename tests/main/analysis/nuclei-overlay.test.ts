import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src-shared/verdict';
import {
  buildOverlaySvg,
  captionVerdictText,
  writeOverlayPng,
  type OverlaySvg,
} from '../../../src-main/analysis/nuclei-overlay';

/** A square outline at the top-left corner, where a legend used to sit. */
const SQUARE = [
  { x: 4, y: 4 },
  { x: 24, y: 4 },
  { x: 24, y: 24 },
  { x: 4, y: 24 },
];

function overlayWith(
  legendNames: string[],
  verdict: Verdict | null = 'review',
  widthPx = 64,
): OverlaySvg {
  return buildOverlaySvg({
    baseRect: { x: 0, y: 0, width: widthPx, height: 64 },
    downsample: 1,
    widthPx,
    heightPx: 64,
    nuclei: [{ contourBase: SQUARE, colorHex: '#e3171e' }],
    caption: {
      legend: legendNames.map((name) => ({ name, colorHex: '#e3171e' })),
      verdict,
    },
  });
}

const GREY = { data: new Uint8Array(64 * 64 * 3).fill(200), widthPx: 64, heightPx: 64 };

describe('buildOverlaySvg', () => {
  it('puts the caption below the region, taller when the legend wraps', () => {
    const names = ['inflammatory', 'connective', 'epithelial-or-neoplastic', 'other'];
    const wide = overlayWith(names, 'review', 800);
    const narrow = overlayWith(names, 'review', 120);

    expect(wide.svg).toContain(`height="${64 + wide.captionPx}"`);
    expect(wide.captionPx).toBeGreaterThanOrEqual(2 * 18);
    expect(narrow.captionPx).toBeGreaterThan(wide.captionPx);
    for (const match of narrow.svg.matchAll(/<text x="(\d+)" y="(\d+)"/g)) {
      expect(Number(match[2])).toBeGreaterThan(64);
    }
  });

  it("states the slide verdict in the verdict's colour", () => {
    const { svg } = overlayWith(['other'], 'out-of-domain', 800);
    expect(svg).toContain('fill="#');
    expect(svg).toContain('Slide verdict: Out-of-domain. Do not use these nuclei');
    expect(overlayWith(['other'], null, 800).svg).toContain(
      'Slide verdict: not triaged.',
    );
  });

  it('says first, and in its own rows, that an analysis is unfinished', () => {
    const finished = overlayWith(['other'], null, 800);
    const unfinished = buildOverlaySvg({
      baseRect: { x: 0, y: 0, width: 800, height: 64 },
      downsample: 1,
      widthPx: 800,
      heightPx: 64,
      nuclei: [],
      caption: {
        legend: [{ name: 'other', colorHex: '#e3171e' }],
        verdict: null,
        unfinished: { committedTiles: 88, plannedTiles: 252 },
      },
    });
    const texts = [...unfinished.svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(texts[0]).toBe(
      'Analysis unfinished: 88 of 252 tiles. Nuclei are missing where tiles were not ' +
        'analysed.',
    );
    expect(texts[1]).toBe('Slide verdict: not triaged.');
    expect(unfinished.captionPx).toBe(finished.captionPx + 18);
    expect(finished.svg).not.toContain('unfinished');
  });

  it('clips outlines to the region and widens a narrow picture for its caption', () => {
    const narrow = overlayWith(['other'], 'review', 64);
    expect(narrow.canvasWidthPx).toBeGreaterThanOrEqual(320);
    expect(narrow.svg).toContain('<clipPath id="region"><rect width="64" height="64" />');
    expect(narrow.svg).toMatch(/<g [^>]*clip-path="url\(#region\)">\n<polygon/);
    expect(overlayWith(['other'], 'review', 800).canvasWidthPx).toBe(800);
  });

  it('escapes class names', () => {
    expect(overlayWith(['a<b'], 'reliable', 800).svg).toContain('a&#60;b');
  });
});

describe('captionVerdictText', () => {
  it('says what each verdict asks of the reader', () => {
    expect(captionVerdictText('reliable')).toMatch(/still need a pathologist/);
    expect(captionVerdictText('review')).toMatch(/Check these nuclei/);
    expect(captionVerdictText('out-of-domain')).toMatch(/Do not use these nuclei/);
  });
});

describe('writeOverlayPng', () => {
  it('writes the outline over the pixels and a white caption band below them', async () => {
    const outPath = path.join(await mkdtemp(path.join(tmpdir(), 'overlay-')), 'o.png');
    const overlay = overlayWith(['x']);

    await writeOverlayPng({ image: GREY, overlay, outPath });

    const { data, info } = await sharp(await readFile(outPath))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => (y * info.width + x) * info.channels;
    expect(info.width).toBe(overlay.canvasWidthPx);
    expect(info.height).toBe(64 + overlay.captionPx);
    expect(data[at(24, 14)]).toBeGreaterThan(data[at(24, 14) + 1]! + 50);
    expect(data[at(40, 40)]).toBe(200);
    expect(data[at(63, 64 + overlay.captionPx - 1)]).toBe(255);
    // Right of a region narrower than the caption: white margin.
    expect(data[at(200, 10)]).toBe(255);
  });

  it('reports EXPORT_FAILED with what to do when the output folder does not exist', async () => {
    const outPath = path.join(tmpdir(), 'no-such-folder-for-overlay', 'o.png');

    await expect(
      writeOverlayPng({ image: GREY, overlay: overlayWith(['x']), outPath }),
    ).rejects.toMatchObject({ code: 'EXPORT_FAILED', message: /folder does not exist/ });
  });
});
