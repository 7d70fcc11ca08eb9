import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  computeBundleSha256,
  computeEmbeddingCacheKey,
  type EmbeddingCacheKeyInput,
  type ResultStore,
} from '../../../src-main/store/index';
import { decodeFloat16, encodeFloat16 } from '../../../src-main/store/float16';
import { makeStore, seedAnalysis } from './store-fixtures';

const KEY_INPUT: EmbeddingCacheKeyInput = {
  backboneSha256: 'b'.repeat(64),
  preprocessing: { mean: [0.7, 0.5, 0.7], std: [0.2, 0.2, 0.2], resample: 'area' },
  targetMpp: 0.5,
  tileSizePx: 224,
  overlapPx: 16,
  gridOriginBase: { x: 0, y: 0 },
};

describe('computeEmbeddingCacheKey', () => {
  it('gives the same key whatever the order of the preprocessing fields', () => {
    const reordered = {
      ...KEY_INPUT,
      preprocessing: { resample: 'area', std: [0.2, 0.2, 0.2], mean: [0.7, 0.5, 0.7] },
    };
    expect(computeEmbeddingCacheKey(reordered)).toBe(computeEmbeddingCacheKey(KEY_INPUT));
  });

  it.each([
    ['backbone file', { backboneSha256: 'c'.repeat(64) }],
    ['target mpp', { targetMpp: 0.25 }],
    ['tile size', { tileSizePx: 256 }],
    ['overlap', { overlapPx: 0 }],
    [
      'normalisation',
      { preprocessing: { ...KEY_INPUT.preprocessing, mean: [0.5, 0.5, 0.5] } },
    ],
  ])('changes the key when the %s changes', (_what, change) => {
    expect(computeEmbeddingCacheKey({ ...KEY_INPUT, ...change })).not.toBe(
      computeEmbeddingCacheKey(KEY_INPUT),
    );
  });
});

describe('float16 packing', () => {
  it('round-trips token values within half-precision error', () => {
    const values = Float32Array.from([0, 1, -2.5, 0.333, 1e-5, 65504, -0.0001234]);
    const back = decodeFloat16(encodeFloat16(values));
    values.forEach((v, i) =>
      expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-3 + 1e-7),
    );
  });
});

describe('EmbeddingCacheStore', () => {
  let store: ResultStore;
  let cleanup: () => void;
  let slideId: number;
  beforeEach(() => {
    ({ store, cleanup } = makeStore());
    slideId = seedAnalysis(store).slide.id;
  });
  afterEach(() => cleanup());

  const key = computeEmbeddingCacheKey(KEY_INPUT);
  const entry = (tileIndex: number) => ({
    tileIndex,
    embedding: Float32Array.from([tileIndex, 0.5]),
    tokens: {
      values: Float32Array.from([0.25, -1, 2, 3, 4, 5]),
      tokenCount: 2,
      tokenDim: 3,
    },
  });

  it('returns cached tokens and embeddings for the same key', () => {
    store.embeddings.put({ slideId, cacheKey: key, entries: [entry(0), entry(1)] });
    const cached = store.embeddings.get({ slideId, cacheKey: key, tileIndices: [1, 2] });

    expect([...cached.keys()]).toEqual([1]);
    expect(Array.from(cached.get(1)!.tokens!.values)).toEqual([0.25, -1, 2, 3, 4, 5]);
    expect(cached.get(1)!.tokens!.tokenDim).toBe(3);
  });

  it('misses every tile once any part of the key changes', () => {
    store.embeddings.put({ slideId, cacheKey: key, entries: [entry(0)] });
    const otherKey = computeEmbeddingCacheKey({ ...KEY_INPUT, targetMpp: 0.25 });
    expect(store.embeddings.get({ slideId, cacheKey: otherKey }).size).toBe(0);
  });

  it('prunes the entries of other keys and keeps the current ones', () => {
    store.embeddings.put({ slideId, cacheKey: 'v1:old', entries: [entry(0), entry(1)] });
    store.embeddings.put({ slideId, cacheKey: key, entries: [entry(0)] });

    expect(store.embeddings.prune(slideId, key)).toBe(2);
    expect(store.embeddings.get({ slideId, cacheKey: key }).size).toBe(1);
  });
});

describe('computeBundleSha256', () => {
  it('is independent of the order of the files and changes with any file hash', () => {
    const files = [
      { path: 'model.onnx', sha256: '1'.repeat(64) },
      { path: 'calibration.json', sha256: '2'.repeat(64) },
    ];
    const reversed = [...files].reverse();
    const edited = [files[0]!, { ...files[1]!, sha256: '3'.repeat(64) }];

    expect(computeBundleSha256(reversed)).toBe(computeBundleSha256(files));
    expect(computeBundleSha256(edited)).not.toBe(computeBundleSha256(files));
  });
});
