import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAllSlides, openSlide } from '../../../src-main/slides/open-slide';
import {
  computeTissueMask,
  tissueMaskFromImage,
  type TissueMask,
} from '../../../src-main/slides/tissue-mask';
import type { RgbImage } from '../../../src-main/slides/slide-reader';
import { describeWithData, sharedSlide } from '../../support/shared-data';

afterAll(() => closeAllSlides());

const ARTIFACTS = path.resolve('artifacts', 'tissue-masks');

/** Saves the overview with excluded pixels darkened, for a person to look at. */
async function saveOverlay(
  name: string,
  overview: RgbImage,
  mask: TissueMask,
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const out = Buffer.from(overview.data);
  mask.data.forEach((isTissue, i) => {
    if (!isTissue)
      for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(out[i * 3 + c]! / 4);
  });
  const raw = {
    width: overview.widthPx,
    height: overview.heightPx,
    channels: 3 as const,
  };
  await sharp(out, { raw })
    .png()
    .toFile(path.join(ARTIFACTS, `${name}.png`));
}

/**
 * Pen ink by a rule independent of the mask's own: H&E stains keep red at or above
 * green, and blue well below red plus 40; green/cyan ink breaks the first, blue
 * ink the second.
 */
function isObviouslyInk(data: Uint8Array, i: number): boolean {
  const [r, g, b] = [data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!];
  return g > r + 15 || b > r + 50;
}

async function maskOf(name: string): Promise<{ overview: RgbImage; mask: TissueMask }> {
  const slide = await openSlide(sharedSlide(name));
  const overview = await slide.readThumbnail(1024);
  const mask = await computeTissueMask(slide);
  await slide.close();
  await saveOverlay(name, overview, mask);
  return { overview, mask };
}

describe('tissueMaskFromImage', () => {
  it('finds no tissue on blank glass', () => {
    const glass = {
      widthPx: 64,
      heightPx: 64,
      data: new Uint8Array(64 * 64 * 3).fill(242),
    };
    expect(tissueMaskFromImage(glass).tissueFraction).toBe(0);
  });

  it('keeps a pink square on glass and nothing else', () => {
    const image = {
      widthPx: 100,
      heightPx: 100,
      data: new Uint8Array(100 * 100 * 3).fill(245),
    };
    for (let y = 30; y < 70; y++) {
      for (let x = 30; x < 70; x++) image.data.set([220, 120, 180], (y * 100 + x) * 3);
    }
    expect(tissueMaskFromImage(image).tissueFraction).toBeCloseTo(0.16, 2);
  });

  it('drops a green pen stroke drawn across tissue', () => {
    const image = {
      widthPx: 100,
      heightPx: 100,
      data: new Uint8Array(100 * 100 * 3).fill(0),
    };
    for (let i = 0; i < 100 * 100; i++)
      image.data.set(i % 100 < 50 ? [220, 120, 180] : [40, 150, 110], i * 3);
    const mask = tissueMaskFromImage(image);
    expect(mask.data.filter((v, i) => v && i % 100 >= 50).length).toBe(0);
  });
});

describeWithData('tissue mask on the public slides', () => {
  it('keeps almost no pen-coloured pixel of the pen-marked DICOM sample', async () => {
    const { overview, mask } = await maskOf('TCGA-XK-AAJU-small.dcm');
    let inkPixels = 0;
    let inkKept = 0;
    for (let i = 0; i < mask.data.length; i++) {
      if (!isObviouslyInk(overview.data, i)) continue;
      inkPixels++;
      if (mask.data[i]) inkKept++;
    }
    expect(inkPixels).toBeGreaterThan(10_000);
    expect(inkKept / inkPixels).toBeLessThan(0.005);
  });

  it('keeps the tissue of the DICOM sample (about 40 % of the overview, checked by eye)', async () => {
    const { mask } = await maskOf('TCGA-XK-AAJU-small.dcm');
    expect(mask.tissueFraction).toBeGreaterThan(0.33);
    expect(mask.tissueFraction).toBeLessThan(0.48);
  });

  it('keeps the tissue of CMU-1 (about a third of the overview, checked by eye)', async () => {
    const { mask } = await maskOf('CMU-1-Small-Region.svs');
    expect(mask.tissueFraction).toBeGreaterThan(0.26);
    expect(mask.tissueFraction).toBeLessThan(0.4);
  });

  it('marks the centre of the CMU-1 tissue strip as tissue and the top-left glass as not', async () => {
    const { mask } = await maskOf('CMU-1-Small-Region.svs');
    const at = (fx: number, fy: number) =>
      mask.data[
        Math.floor(fy * mask.heightPx) * mask.widthPx + Math.floor(fx * mask.widthPx)
      ];
    expect(at(0.45, 0.6)).toBe(1);
    expect(at(0.1, 0.1)).toBe(0);
  });
});
