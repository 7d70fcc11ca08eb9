import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultStore } from '../../../src-main/store/index';
import { makeStore } from './store-fixtures';

let store: ResultStore;
let cleanup: () => void;
beforeEach(() => ({ store, cleanup } = makeStore()));
afterEach(() => cleanup());

const input = (path: string, mpp: { x: number; y: number } | null = null) => ({
  contentId: 'f'.repeat(64),
  path,
  format: 'aperio-svs',
  widthPx: 2220,
  heightPx: 2967,
  mpp: mpp ? { ...mpp, source: 'user' as const } : null,
});

describe('ResultStore slides', () => {
  it('treats the same content opened from another path as the same slide', () => {
    const first = store.upsertSlide(input('/a/slide.svs'));
    const second = store.upsertSlide(input('/b/copy-of-slide.svs'));

    expect(second.id).toBe(first.id);
    expect(second.lastPath).toBe('/b/copy-of-slide.svs');
    expect(store.listSlides()).toHaveLength(1);
  });

  it('keeps a calibration the user entered when the file still has none', () => {
    const slide = store.upsertSlide(input('/a/slide.svs'));
    store.setSlideMpp(slide.id, { x: 0.25, y: 0.26, source: 'user' });

    const reopened = store.upsertSlide(input('/a/slide.svs'));
    expect(reopened.mpp).toEqual({ x: 0.25, y: 0.26, source: 'user' });
  });

  it('finds a slide by content id and returns null for unknown content', () => {
    const slide = store.upsertSlide(input('/a/slide.svs'));
    expect(store.findSlideByContentId('f'.repeat(64))?.id).toBe(slide.id);
    expect(store.findSlideByContentId('0'.repeat(64))).toBeNull();
  });

  it('refuses a calibration that is not positive', () => {
    const slide = store.upsertSlide(input('/a/slide.svs'));
    expect(() => store.setSlideMpp(slide.id, { x: 0, y: 0.5, source: 'user' })).toThrow(
      expect.objectContaining({ code: 'STORE_FAILED' }),
    );
  });
});
