import { afterAll, expect, it } from 'vitest';
import { closeAllSlides, openSlide } from '../../../src-main/slides/open-slide';
import type { RegionRequest, SlideReader } from '../../../src-main/slides/slide-reader';
import { describeWithData, sharedSlide } from '../../support/shared-data';

afterAll(() => closeAllSlides());

const CMU = 'CMU-1-Small-Region.svs';
const GENERIC = 'CMU-1-Small-Region.pyramid.jpeg.tif';
const OME = 'CMU-1-Small-Region.crop1024.pyramid.ome.tif';
const JP2K = 'TCGA-CR-7395-01A-01-TS1.svs';
const DICOM = 'TCGA-XK-AAJU-small.dcm';

/** Mean absolute difference per channel between two same-sized RGB images. */
function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number[] {
  const sums = [0, 0, 0];
  for (let i = 0; i < a.length; i++) sums[i % 3]! += Math.abs(a[i]! - b[i]!);
  return sums.map((s) => s / (a.length / 3));
}

async function withSlide<T>(
  name: string,
  reader: 'openslide' | 'pure-js' | 'auto',
  use: (r: SlideReader) => Promise<T>,
): Promise<T> {
  const slide = await openSlide(sharedSlide(name), { reader });
  try {
    return await use(slide);
  } finally {
    await slide.close();
  }
}

describeWithData('openSlide on the public slides', () => {
  it('opens CMU-1 with OpenSlide by default', async () => {
    await withSlide(CMU, 'auto', async (slide) =>
      expect(slide.info.reader).toBe('openslide'),
    );
  });

  it.each(['openslide', 'pure-js'] as const)(
    'reads CMU-1 as one 2220x2967 level at 0.499 mpp via %s',
    async (reader) => {
      await withSlide(CMU, reader, async ({ info }) => {
        expect(info.levels.map((l) => [l.widthPx, l.heightPx])).toEqual([[2220, 2967]]);
        expect(info.mpp?.x).toBeCloseTo(0.499, 6);
        expect(info.objectivePower).toBe(20);
      });
    },
  );

  it.each(['openslide', 'pure-js'] as const)(
    'lists label, macro and thumbnail of CMU-1 via %s',
    async (reader) => {
      await withSlide(CMU, reader, async ({ info }) => {
        expect([...info.associatedImages].sort()).toEqual([
          'label',
          'macro',
          'thumbnail',
        ]);
      });
    },
  );

  it.each(['openslide', 'pure-js'] as const)(
    'takes the generic TIFF mpp from its resolution tags via %s',
    async (reader) => {
      await withSlide(GENERIC, reader, async ({ info }) => {
        expect(info.mpp?.source).toBe('tiff-resolution');
        expect(info.mpp?.x).toBeCloseTo(0.499, 6);
        expect(info.levels).toHaveLength(5);
        expect(info.levels[4]!.downsample).toBeCloseTo(16.0624, 3);
      });
    },
  );

  it('reads the OME-TIFF SubIFD pyramid 1024/512/256 at 0.499 mpp with the pure-JS reader', async () => {
    await withSlide(OME, 'pure-js', async ({ info }) => {
      expect(info.format).toBe('ome-tiff');
      expect(info.levels.map((l) => l.widthPx)).toEqual([1024, 512, 256]);
      expect(info.mpp?.x).toBeCloseTo(0.499, 5);
    });
  });

  it('opens the OME-TIFF with its full pyramid by default, though OpenSlide 3.4 sees one level', async () => {
    await withSlide(OME, 'auto', async ({ info }) => {
      expect(info.levels).toHaveLength(3);
    });
  });

  it('reports SLIDE_UNSUPPORTED_FORMAT when OpenSlide is forced on a file it does not read', async () => {
    await expect(
      openSlide(sharedSlide(DICOM), { reader: 'openslide' }),
    ).rejects.toMatchObject({
      code: 'SLIDE_UNSUPPORTED_FORMAT',
    });
  });

  it('reports no mpp and an ICC profile for the JPEG 2000 TCGA slide', async () => {
    await withSlide(JP2K, 'auto', async ({ info }) => {
      expect(info.mpp).toBeNull();
      expect(info.hasIccProfile).toBe(true);
      expect(info.levels.map((l) => [l.widthPx, l.heightPx])).toEqual([
        [4443, 3567],
        [2221, 1783],
      ]);
    });
  });

  it('refuses the JPEG 2000 slide without OpenSlide with SLIDE_NEEDS_OPENSLIDE', async () => {
    await expect(
      openSlide(sharedSlide(JP2K), { reader: 'pure-js' }),
    ).rejects.toMatchObject({ code: 'SLIDE_NEEDS_OPENSLIDE' });
  });

  it('opens the DICOM slide as 3236x2638 with 500 px frames and no mpp', async () => {
    await withSlide(DICOM, 'auto', async ({ info }) => {
      expect(info.reader).toBe('dicom');
      expect([info.widthPx, info.heightPx]).toEqual([3236, 2638]);
      expect(info.levels[0]!.tileWidthPx).toBe(500);
      expect(info.mpp).toBeNull();
    });
  });

  const regions: Array<[string, RegionRequest]> = [
    [CMU, { level: 0, baseX: 700, baseY: 900, widthPx: 600, heightPx: 500 }],
    [CMU, { level: 0, baseX: 2000, baseY: 2800, widthPx: 400, heightPx: 300 }],
    [GENERIC, { level: 0, baseX: 700, baseY: 900, widthPx: 600, heightPx: 500 }],
    [GENERIC, { level: 2, baseX: 0, baseY: 0, widthPx: 555, heightPx: 741 }],
    [OME, { level: 0, baseX: 100, baseY: 200, widthPx: 700, heightPx: 600 }],
  ];

  it.each(regions)(
    'matches OpenSlide pixels on %s region %j through the pure-JS reader',
    async (name, request) => {
      const [ours, reference] = await Promise.all([
        withSlide(name, 'pure-js', (s) => s.readRegion(request)),
        withSlide(name, 'openslide', (s) => s.readRegion(request)),
      ]);
      for (const mad of meanAbsoluteDifference(ours.data, reference.data))
        expect(mad).toBeLessThan(1);
    },
  );

  it.each(['openslide', 'pure-js'] as const)(
    'makes a thumbnail whose longer edge is the size asked via %s',
    async (reader) => {
      const thumbnail = await withSlide(GENERIC, reader, (s) => s.readThumbnail(300));
      expect([thumbnail.widthPx, thumbnail.heightPx]).toEqual([224, 300]);
    },
  );

  it.each([
    [CMU, 'openslide'],
    [CMU, 'pure-js'],
    [OME, 'pure-js'],
    [DICOM, 'pure-js'],
  ] as const)(
    'writes a region of %s read via %s into the buffer it is given',
    async (name, reader) => {
      const request = { level: 0, baseX: 300, baseY: 200, widthPx: 97, heightPx: 61 };
      await withSlide(name, reader, async (slide) => {
        const fresh = await slide.readRegion(request);
        // Stale bytes in the buffer must all be overwritten.
        const into = new Uint8Array(97 * 61 * 3).fill(7);
        const reused = await slide.readRegion(request, { into });
        expect(reused.data).toBe(into);
        expect(Buffer.from(into).equals(Buffer.from(fresh.data))).toBe(true);
        await expect(
          slide.readRegion(request, { into: new Uint8Array(97 * 61 * 3 - 1) }),
        ).rejects.toThrow(RangeError);
      });
    },
  );

  it('returns white for the part of a region outside the slide', async () => {
    const region = await withSlide(CMU, 'pure-js', (s) =>
      s.readRegion({ level: 0, baseX: 2200, baseY: 0, widthPx: 40, heightPx: 1 }),
    );
    expect([...region.data.subarray(20 * 3)].every((v) => v === 255)).toBe(true);
  });

  it('withholds the label image unless identifying images are allowed', async () => {
    await withSlide(CMU, 'auto', async (slide) => {
      await expect(
        slide.readAssociatedImage('label', { allowIdentifying: false }),
      ).rejects.toMatchObject({ code: 'ASSOCIATED_IMAGE_HIDDEN' });
    });
  });

  it.each(['openslide', 'pure-js'] as const)(
    'returns the 387x463 label when identifying images are allowed via %s',
    async (reader) => {
      const label = await withSlide(CMU, reader, (s) =>
        s.readAssociatedImage('label', { allowIdentifying: true }),
      );
      expect([label.widthPx, label.heightPx]).toEqual([387, 463]);
    },
  );

  it('stops a region read whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      withSlide(CMU, 'openslide', (s) =>
        s.readRegion(
          { level: 0, baseX: 0, baseY: 0, widthPx: 256, heightPx: 256 },
          { signal: controller.signal },
        ),
      ),
    ).rejects.toThrow(/abort/i);
  });

  it('refuses a region over the 64 MP limit with SLIDE_TOO_LARGE before allocating it', async () => {
    await expect(
      withSlide(CMU, 'openslide', (s) =>
        s.readRegion({ level: 0, baseX: 0, baseY: 0, widthPx: 10_000, heightPx: 10_000 }),
      ),
    ).rejects.toMatchObject({ code: 'SLIDE_TOO_LARGE' });
  });

  it('serves 300 region reads requested at once through OpenSlide', async () => {
    const regions = await withSlide(CMU, 'openslide', (slide) =>
      Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          slide.readRegion({
            level: 0,
            baseX: (i * 37) % 1900,
            baseY: (i * 53) % 2700,
            widthPx: 64,
            heightPx: 64,
          }),
        ),
      ),
    );
    expect(regions).toHaveLength(300);
  });

  it('reuses the open reader for a second open of the same unchanged file', async () => {
    const first = await openSlide(sharedSlide(CMU));
    const second = await openSlide(sharedSlide(CMU));
    expect(second.info).toBe(first.info);
    await Promise.all([first.close(), second.close()]);
  });

  it('opens a separate reader for an opener that gives another blocking budget', async () => {
    const first = await openSlide(sharedSlide(CMU));
    const second = await openSlide(sharedSlide(CMU), { blockingReadBudgetMs: 4 });
    expect(second.info).not.toBe(first.info);
    await Promise.all([first.close(), second.close()]);
  });
});
