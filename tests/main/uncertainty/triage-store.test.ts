import { describe, expect, it } from 'vitest';
import {
  loadTileUncertainty,
  saveTileUncertainty,
} from '../../../src-main/uncertainty/triage-store';
import { makeDatabase, makeTile } from './triage-builders';

describe('saveTileUncertainty', () => {
  it('round-trips every stored field of a tile', () => {
    const { db, analysisId } = makeDatabase();
    const tile = makeTile(2, 3, {
      flags: ['blur', 'pen-ink'],
      oodDistance: null,
      isOod: false,
    });
    saveTileUncertainty(db, analysisId, tile);
    const stored: Partial<typeof tile> = { ...tile };
    delete stored.nucleusSets;
    expect(loadTileUncertainty(db, analysisId)).toEqual([stored]);
  });

  it('replaces the row of a tile assessed again after a resume', () => {
    const { db, analysisId } = makeDatabase();
    saveTileUncertainty(db, analysisId, makeTile(0, 0, { npEntropyMean: 0.1 }));
    saveTileUncertainty(db, analysisId, makeTile(0, 0, { npEntropyMean: 0.4 }));
    const tiles = loadTileUncertainty(db, analysisId);
    expect(tiles.map((t) => t.npEntropyMean)).toEqual([0.4]);
  });

  it('refuses a tile of an analysis that does not exist', () => {
    const { db } = makeDatabase();
    expect(() => saveTileUncertainty(db, 999, makeTile(0, 0))).toThrow(/FOREIGN KEY/);
  });
});
