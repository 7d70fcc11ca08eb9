import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportContext } from '../../../src-main/export/export-nuclei';
import {
  rectanglePolygon,
  verdictCellFeature,
} from '../../../src-main/export/triage-features';
import { readExportTriage } from '../../../src-main/export/triage-results';
import type { ResultStore } from '../../../src-main/store/index';
import { makeStore } from '../store/store-fixtures';
import { seedTriagedAnalysis } from './triage-fixture';

let store: ResultStore;
let cleanup: () => void;

beforeEach(() => ({ store, cleanup } = makeStore()));
afterEach(() => cleanup());

describe('rectanglePolygon', () => {
  it('closes the ring of a rectangle rounded to 1/100 px', () => {
    expect(rectanglePolygon({ x: 1.004, y: 2, width: 10, height: 5.333 })).toEqual([
      [
        [1, 2],
        [11, 2],
        [11, 7.33],
        [1, 7.33],
        [1, 2],
      ],
    ]);
  });
});

describe('verdictCellFeature', () => {
  it('keeps only the numeric measures of a cell as measurements', () => {
    const context = exportContext(store, seedTriagedAnalysis(store));
    const triage = readExportTriage(context)!;
    const region = {
      ...triage.regions[0]!,
      measures: { npEntropyMean: null, tileCount: 4 },
    };
    const feature = verdictCellFeature(region, context, triage);

    expect(feature.properties.measurements).toEqual({ 'Num tiles': 4 });
    expect(feature.properties.name).toBe('Out-of-domain cell (0, 0)');
  });

  it('gives a cell the same id on every export of the same triage run', () => {
    const context = exportContext(store, seedTriagedAnalysis(store));
    const triage = readExportTriage(context)!;
    const first = verdictCellFeature(triage.regions[0]!, context, triage).id;
    const again = verdictCellFeature(triage.regions[0]!, context, triage).id;
    const other = verdictCellFeature(triage.regions[1]!, context, triage).id;

    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });
});
