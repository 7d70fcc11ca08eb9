import { afterAll, expect, it } from 'vitest';
import { closeAllSlides, openSlide } from '../../../src-main/slides/open-slide';
import type { RegionRequest, SlideReader } from '../../../src-main/slides/slide-reader';
import { describeWithData, sharedSlide } from '../../support/shared-data';

afterAll(() => closeAllSlides());

const CMU = 'CMU-1-Small-Region.svs';

async function withOpenSlide<T>(use: (r: SlideReader) => Promise<T>): Promise<T> {
  const slide = await openSlide(sharedSlide(CMU), {
    reader: 'openslide',
    useCache: false,
  });
  try {
    return await use(slide);
  } finally {
    await slide.close();
  }
}

const at = (baseX: number, baseY: number, widthPx: number, heightPx: number) =>
  ({ level: 0, baseX, baseY, widthPx, heightPx }) satisfies RegionRequest;

describeWithData('the OpenSlide reader on CMU-1', () => {
  it('returns white beyond the slide edge even right after reading tissue', async () => {
    const [tissue, edge] = await withOpenSlide(async (slide) => [
      await slide.readRegion(at(1000, 1000, 40, 8)),
      await slide.readRegion(at(2200, 1000, 40, 8)),
    ]);
    expect(tissue.data.some((v) => v < 200)).toBe(true);
    for (let y = 0; y < 8; y++) {
      const outside = edge.data.subarray((y * 40 + 20) * 3, (y + 1) * 40 * 3);
      expect(outside.every((v) => v === 255)).toBe(true);
    }
  });

  it('gives each of many reads at once its own pixels', async () => {
    const requests = Array.from({ length: 24 }, (_, i) =>
      at((i * 83) % 1900, (i * 131) % 2700, 96, 80),
    );
    const [together, oneByOne] = await withOpenSlide(async (slide) => {
      const atOnce = await Promise.all(requests.map((r) => slide.readRegion(r)));
      const sequential = [];
      for (const request of requests) sequential.push(await slide.readRegion(request));
      return [atOnce, sequential];
    });
    together.forEach((image, i) =>
      expect(Buffer.from(image.data).equals(Buffer.from(oneByOne[i]!.data))).toBe(true),
    );
  });

  it('joins the chunks of a region too large for one native call exactly', async () => {
    // 2200 x 2000 px exceeds one call's 4 MP, so it is read in bands of 1904 rows.
    const [whole, seam] = await withOpenSlide(async (slide) => [
      await slide.readRegion(at(10, 20, 2200, 2000)),
      await slide.readRegion(at(10, 20 + 1898, 2200, 12)),
    ]);
    const rowBytes = 2200 * 3;
    const band = whole.data.subarray(1898 * rowBytes, 1910 * rowBytes);
    expect(Buffer.from(band).equals(Buffer.from(seam.data))).toBe(true);
  });
});
