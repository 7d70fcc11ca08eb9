import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithData } from '../../support/shared-data';
import { temporaryFolder } from './analysis-fixture';
import {
  commitInBatches,
  finishSeamTiles,
  type CommittedSeams,
  type SeamTiles,
} from './seam-fixture';

/** Batchings of 12 tiles: the analysis's order, reversed, interleaved, one batch. */
const ROW_ORDER = [
  [0, 1, 2, 3],
  [4, 5, 6, 7],
  [8, 9, 10, 11],
];
const OTHER_ORDERS: Record<string, number[][]> = {
  'reversed, one tile at a time': [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => [i]),
  'interleaved in batches of three': [
    [5, 0, 10],
    [3, 8, 1],
    [11, 6, 2],
    [9, 4, 7],
  ],
  'all in one batch': [[7, 2, 11, 4, 9, 0, 5, 10, 1, 6, 3, 8]],
};

describeWithData(
  'seam resolution of offered CMU-1 nuclei committed in different orders',
  () => {
    const temp = temporaryFolder();
    let tiles: SeamTiles;
    let reference: CommittedSeams;

    beforeAll(async () => {
      tiles = await finishSeamTiles(true);
      reference = commitInBatches(temp.folder, tiles, ROW_ORDER);
    }, 600_000);

    afterAll(() => temp.cleanup());

    it('gives up some offered nuclei and keeps density in step when committed in rows', () => {
      const offered = tiles.finished.reduce(
        (sum, tile) => sum + tile.result.nuclei.length,
        0,
      );
      expect(reference.nucleusCount).toBeLessThan(offered);
      expect(reference.densityTotal).toBe(reference.nucleusCount);
    });

    for (const [name, batches] of Object.entries(OTHER_ORDERS)) {
      it(`stores byte-identical nuclei when tiles are committed ${name}`, () => {
        const committed = commitInBatches(temp.folder, tiles, batches);

        expect(committed.nucleusCount).toBe(reference.nucleusCount);
        expect(committed.densityTotal).toBe(reference.densityTotal);
        expect(Object.fromEntries(committed.chunksByTile)).toEqual(
          Object.fromEntries(reference.chunksByTile),
        );
      });
    }
  },
);
