import { afterEach, describe, expect, it } from 'vitest';
import { setLogSink } from '../../../src-main/logging/logger';
import { syntheticTile } from '../../../src-main/store/synthetic-results';
import { makeStore, seedAnalysis, SMALL_SPEC } from './store-fixtures';

const savedLevel = process.env.CELLVIT_LOG_LEVEL;
afterEach(() => {
  if (savedLevel === undefined) delete process.env.CELLVIT_LOG_LEVEL;
  else process.env.CELLVIT_LOG_LEVEL = savedLevel;
  setLogSink(null);
});

describe('ResultStore logging', () => {
  it('logs slide events by slideRef and never by the path or file name', () => {
    const lines: string[] = [];
    process.env.CELLVIT_LOG_LEVEL = 'info';
    setLogSink((line) => lines.push(line));
    const { store, cleanup } = makeStore();
    try {
      const { analysis } = seedAnalysis(store);
      store.commitTileBatch(analysis.id, [syntheticTile(SMALL_SPEC, 0)]);
      store.finishAnalysis(analysis.id);
    } finally {
      cleanup();
    }

    const text = lines.join('\n');
    expect(text).toContain('store.slide.upserted');
    expect(text).toContain('slideRef');
    expect(text).not.toMatch(/Smith|S-24-001234|\/slides\//);
  });
});
