import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createAppProtocolHandler,
  createTileProtocolHandler,
} from '../../../src-main/electron/protocols';
import { OpenSlides } from '../../../src-main/ipc/open-slides';
import { TileService } from '../../../src-main/ipc/tile-service';
import { openSlide } from '../../../src-main/slides/open-slide';
import { describeWithData, sharedSlide } from '../../support/shared-data';

const base = mkdtempSync(path.join(os.tmpdir(), 'cellvit-protocol-'));
const rendererDir = path.join(base, 'renderer');
mkdirSync(rendererDir, { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(path.join(base, 'secret.txt'), 'secret');

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('the app:// protocol', () => {
  const handle = createAppProtocolHandler(rendererDir);

  it('serves the renderer with a strict Content-Security-Policy header', async () => {
    const response = await handle(new Request('app://cellvit/index.html'));
    const csp = directives(response.headers.get('content-security-policy') ?? '');
    expect(response.status).toBe(200);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('img-src')).toContain('cellvit-tile:');
    expect(csp.get('connect-src')).toBe("'self' cellvit-tile:");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
  });

  it('allows neither eval nor inline script', async () => {
    const response = await handle(new Request('app://cellvit/index.html'));
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
  });

  for (const escaping of [
    'app://cellvit/%2e%2e/secret.txt',
    'app://cellvit/%2e%2e%2fsecret.txt',
    'app://cellvit/..%2fsecret.txt',
    `app://cellvit/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
  ]) {
    it(`never serves a file outside the root for ${escaping}`, async () => {
      // The URL parser may already fold `%2e%2e` into `..` and drop it (then 404);
      // whatever survives parsing is refused by the asset resolver (403).
      const response = await handle(new Request(escaping));
      expect([403, 404]).toContain(response.status);
      expect(await response.text()).not.toContain('secret');
    });
  }

  it('answers 404 for another host', async () => {
    const response = await handle(new Request('app://elsewhere/index.html'));
    expect(response.status).toBe(404);
  });
});

describeWithData('the cellvit-tile:// protocol on CMU-1-Small-Region.svs', () => {
  const slides = new OpenSlides({
    openSlide: (filePath) => openSlide(filePath),
    lookupPath: () => sharedSlide('CMU-1-Small-Region.svs'),
  });
  const handle = createTileProtocolHandler(new TileService({ slides }));
  afterAll(() => slides.closeAll());

  it('serves a full-resolution tile as a 256-pixel JPEG', async () => {
    const response = await handle(new Request('cellvit-tile://tiles/1/12/1_1.jpeg'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([256, 256]);
  });

  it('serves the one-pixel top of the pyramid', async () => {
    const response = await handle(new Request('cellvit-tile://tiles/1/0/0_0.jpeg'));
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1, 1]);
  });

  it('refuses a tile outside the pyramid with 400', async () => {
    const response = await handle(new Request('cellvit-tile://tiles/1/12/99_0.jpeg'));
    expect(response.status).toBe(400);
  });

  it('refuses a path that tries to leave the tile grammar', async () => {
    const response = await handle(
      new Request('cellvit-tile://tiles/%2e%2e/%2e%2e/etc/passwd'),
    );
    expect(response.status).toBe(403);
  });
});
