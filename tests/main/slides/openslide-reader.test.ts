import { afterAll, describe, expect, it } from 'vitest';
import { closeAllSlides, openSlide } from '../../../src-main/slides/open-slide';
import type { OpenSlideLibrary } from '../../../src-main/slides/openslide/openslide-library';
import { openWithOpenSlide } from '../../../src-main/slides/openslide/openslide-reader';
import { CorruptSlideError } from '../../../src-main/slides/slide-errors';
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

/** A one-level 4096x4096 slide painted opaque grey, counting where its reads ran. */
function fakeLibrary(options: { workerReadMs?: number } = {}) {
  const reads = { blocking: 0, worker: 0 };
  const state = { error: null as string | null, onRead: () => {} };
  const paint = (dest: Uint32Array) => {
    dest.fill(0xff808080);
    state.onRead();
  };
  const lib: OpenSlideLibrary = {
    version: 'fake',
    detectVendor: () => 'fake',
    open: () => ({}),
    close: () => {},
    getError: () => state.error,
    getLevelCount: () => 1,
    getLevelDimensions: () => [4096, 4096],
    getLevelDownsample: () => 1,
    getPropertyNames: () => [],
    getPropertyValue: () => null,
    getAssociatedImageNames: () => [],
    getAssociatedImageDimensions: () => [0, 0],
    readAssociatedImage: () => {},
    readRegion: ({ dest }) => {
      reads.blocking++;
      paint(dest);
    },
    readRegionAsync: async ({ dest }) => {
      reads.worker++;
      await new Promise((resolve) => setTimeout(resolve, options.workerReadMs ?? 0));
      paint(dest);
    },
  };
  return { lib, reads, state };
}

async function openFake(lib: OpenSlideLibrary, blockingReadBudgetMs: number) {
  const reader = await openWithOpenSlide(lib, 'fake.svs', blockingReadBudgetMs);
  if (!reader) throw new Error('the fake library refused the slide');
  return reader;
}

describe('the OpenSlide reader', () => {
  it('reads on a worker until a read has been timed, then on the calling thread', async () => {
    const { lib, reads } = fakeLibrary();
    const reader = await openFake(lib, 50);
    await reader.readRegion(at(0, 0, 256, 256));
    await reader.readRegion(at(256, 0, 256, 256));
    expect(reads).toEqual({ blocking: 1, worker: 1 });
  });

  it('keeps reads on a worker while they take longer than the budget', async () => {
    const { lib, reads } = fakeLibrary({ workerReadMs: 30 });
    const reader = await openFake(lib, 5);
    for (let i = 0; i < 3; i++) await reader.readRegion(at(0, 0, 256, 256));
    expect(reads).toEqual({ blocking: 0, worker: 3 });
  });

  it('returns straight RGB from a read on the calling thread', async () => {
    const { lib } = fakeLibrary();
    const reader = await openFake(lib, 50);
    await reader.readRegion(at(0, 0, 8, 8));
    const image = await reader.readRegion(at(0, 0, 5, 3));
    expect(image.data.length).toBe(5 * 3 * 3);
    expect(image.data.every((v) => v === 0x80)).toBe(true);
  });

  it('reports an error OpenSlide recorded during a read on the calling thread', async () => {
    const { lib, reads, state } = fakeLibrary();
    const reader = await openFake(lib, 50);
    await reader.readRegion(at(0, 0, 64, 64));
    state.error = 'Corrupt JPEG data';
    await expect(reader.readRegion(at(0, 0, 64, 64))).rejects.toThrow(CorruptSlideError);
    expect(reads.blocking).toBe(1);
  });

  it('stops between chunks when aborted during a read on the calling thread', async () => {
    const { lib, reads, state } = fakeLibrary();
    const reader = await openFake(lib, Number.POSITIVE_INFINITY);
    await reader.readRegion(at(0, 0, 64, 64));
    const controller = new AbortController();
    state.onRead = () => controller.abort(new Error('stopped by the user'));
    // 4096 x 2048 px is two native calls of 4 MP each.
    const read = reader.readRegion(at(0, 0, 4096, 2048), { signal: controller.signal });
    await expect(read).rejects.toThrow('stopped by the user');
    expect(reads.blocking).toBe(1);
  });
});
