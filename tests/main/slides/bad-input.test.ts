import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAllSlides, openSlide } from '../../../src-main/slides/open-slide';
import { describeWithData, sharedSlide } from '../../support/shared-data';
import {
  writeAbsurdDimensionsTiff,
  writeTileOffsetPastEndTiff,
} from './support/craft-tiff';

const workDir = mkdtempSync(path.join(tmpdir(), 'slides-bad-input-'));
const at = (name: string) => path.join(workDir, name);
const readers = ['auto', 'pure-js'] as const;

afterAll(async () => {
  await closeAllSlides();
  rmSync(workDir, { recursive: true, force: true });
});

describe('openSlide on bad input', () => {
  it.each(readers)('reports SLIDE_NOT_FOUND for a missing file (%s)', async (reader) => {
    await expect(openSlide(at('missing.svs'), { reader })).rejects.toMatchObject({
      code: 'SLIDE_NOT_FOUND',
    });
  });

  it.each(readers)('reports SLIDE_NOT_A_FILE for a directory (%s)', async (reader) => {
    await expect(openSlide(workDir, { reader })).rejects.toMatchObject({
      code: 'SLIDE_NOT_A_FILE',
    });
  });

  it.each(readers)('reports SLIDE_EMPTY for a zero-byte file (%s)', async (reader) => {
    writeFileSync(at('empty.svs'), '');
    await expect(openSlide(at('empty.svs'), { reader })).rejects.toMatchObject({
      code: 'SLIDE_EMPTY',
    });
  });

  it.each(readers)(
    'reports SLIDE_UNSUPPORTED_FORMAT for a text file named .svs (%s)',
    async (reader) => {
      writeFileSync(
        at('notes.svs'),
        'This is not a slide, just some notes.\n'.repeat(20),
      );
      await expect(openSlide(at('notes.svs'), { reader })).rejects.toMatchObject({
        code: 'SLIDE_UNSUPPORTED_FORMAT',
      });
    },
  );

  it.each(readers)(
    'refuses a TIFF claiming 4,000,000 px edges with SLIDE_TOO_LARGE (%s)',
    async (reader) => {
      writeAbsurdDimensionsTiff(at('huge-edges.tif'), 4_000_000, 4_000_000);
      await expect(openSlide(at('huge-edges.tif'), { reader })).rejects.toMatchObject({
        code: 'SLIDE_TOO_LARGE',
      });
    },
  );

  it.each(readers)(
    'refuses a 10-gigapixel single-strip TIFF (decompression bomb) with SLIDE_TOO_LARGE (%s)',
    async (reader) => {
      writeAbsurdDimensionsTiff(at('bomb.tif'), 100_000, 100_000);
      await expect(openSlide(at('bomb.tif'), { reader })).rejects.toMatchObject({
        code: 'SLIDE_TOO_LARGE',
      });
    },
  );

  it.each(readers)(
    'reports SLIDE_CORRUPT for a tile offset past the end of the file (%s)',
    async (reader) => {
      writeTileOffsetPastEndTiff(at('offset-past-end.tif'));
      await expect(
        openSlide(at('offset-past-end.tif'), { reader }),
      ).rejects.toMatchObject({ code: 'SLIDE_CORRUPT' });
    },
  );

  it('names neither the file nor its folder in any error message', async () => {
    const error = await openSlide(at('notes.svs')).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain('notes');
    expect(String((error as Error).message)).not.toContain(workDir);
  });
});

describeWithData('openSlide on damaged and unusual copies of a real slide', () => {
  it.each(readers)(
    'reports SLIDE_CORRUPT for an SVS cut to 60 percent of its length (%s)',
    async (reader) => {
      const whole = readFileSync(sharedSlide('CMU-1-Small-Region.svs'));
      writeFileSync(
        at('truncated.svs'),
        whole.subarray(0, Math.floor(whole.length * 0.6)),
      );
      await expect(
        openSlide(at('truncated.svs'), { reader, useCache: false }),
      ).rejects.toMatchObject({ code: 'SLIDE_CORRUPT' });
    },
  );

  it('says the pure-JS reader found a slide cut short, where its directory should be', async () => {
    const whole = readFileSync(sharedSlide('CMU-1-Small-Region.svs'));
    writeFileSync(at('cut.svs'), whole.subarray(0, Math.floor(whole.length * 0.9)));
    await expect(
      openSlide(at('cut.svs'), { reader: 'pure-js', useCache: false }),
    ).rejects.toThrow(/truncated: it ends at byte \d+, before its image directory/);
  });

  it.each(readers)(
    'opens and reads a slide at a path with non-ASCII characters (%s)',
    async (reader) => {
      const folder = at('Präparate é');
      mkdirSync(folder, { recursive: true });
      const linked = path.join(folder, 'Präparat_é.svs');
      symlinkSync(sharedSlide('CMU-1-Small-Region.svs'), linked);
      const copied = path.join(folder, 'Schnitt_ü.svs');
      copyFileSync(sharedSlide('CMU-1-Small-Region.svs'), copied);
      for (const slidePath of [linked, copied]) {
        const slide = await openSlide(slidePath, { reader, useCache: false });
        const region = await slide.readRegion({
          level: 0,
          baseX: 1000,
          baseY: 1000,
          widthPx: 64,
          heightPx: 64,
        });
        expect(region.data.length).toBe(64 * 64 * 3);
        await slide.close();
      }
      rmSync(folder, { recursive: true });
    },
  );

  it.each(readers)(
    'reports SLIDE_CORRUPT, not blank pixels, for a tile whose bytes were wiped (%s)',
    async (reader) => {
      const bytes = Buffer.from(readFileSync(sharedSlide('CMU-1-Small-Region.svs')));
      const tiff = await fromArrayBuffer(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      const directory = (await tiff.getImage(0)).fileDirectory;
      const offsets = (await directory.loadValue('TileOffsets')) as ArrayLike<number>;
      const counts = (await directory.loadValue('TileByteCounts')) as ArrayLike<number>;
      const tile = 5 * 10 + 4; // column 4, row 5 of the 10-column grid of 240 px tiles
      bytes.fill(0, offsets[tile]!, offsets[tile]! + counts[tile]!);
      writeFileSync(at('wiped-tile.svs'), bytes);

      const slide = await openSlide(at('wiped-tile.svs'), { reader, useCache: false });
      const request = {
        level: 0,
        baseX: 4 * 240 + 10,
        baseY: 5 * 240 + 10,
        widthPx: 64,
        heightPx: 64,
      };
      await expect(slide.readRegion(request)).rejects.toMatchObject({
        code: 'SLIDE_CORRUPT',
      });
      await slide.close();
    },
  );

  it('says plainly that a vendor format needs OpenSlide when the pure-JS path gets one', async () => {
    copyFileSync(sharedSlide('CMU-1-Small-Region.pyramid.jpeg.tif'), at('scan.ndpi'));
    const error = await openSlide(at('scan.ndpi'), { reader: 'pure-js' }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ code: 'SLIDE_NEEDS_OPENSLIDE' });
    expect((error as Error).message).toMatch(/Hamamatsu NDPI .*OpenSlide/);
  });

  it('reports SLIDE_PERMISSION_DENIED for a file the user may not read', () => {
    const locked = at('locked.svs');
    copyFileSync(sharedSlide('CMU-1-Small-Region.svs'), locked);
    chmodSync(locked, 0o000);
    chmodSync(workDir, 0o755);
    const probe = fileURLToPath(
      new URL('./support/permission-probe.ts', import.meta.url),
    );
    // Root reads through mode 000, so the probe drops to `nobody` before opening the file.
    const output = execFileSync(process.execPath, ['--import', 'tsx', probe, locked], {
      env: { ...process.env, CELLVIT_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(output.trim()).toBe('SLIDE_PERMISSION_DENIED');
  });
});
