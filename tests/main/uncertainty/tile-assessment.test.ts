import { describe, expect, it } from 'vitest';
import { blankGlass } from '../../../src-main/uncertainty/evaluation/synthetic-inputs';
import { assessTile } from '../../../src-main/uncertainty/tile-assessment';
import { CalibrationMismatchError } from '../../../src-main/uncertainty/triage-errors';
import type { TileEvidence } from '../../../src-main/uncertainty/types';
import { makeContext } from './triage-builders';

function evidence(over: Partial<TileEvidence> = {}): TileEvidence {
  return {
    tileIndex: 3,
    tileBaseRect: { x: 0, y: 0, width: 256, height: 256 },
    mapSizePx: 2,
    npProbabilities: Float32Array.from([0.5, 0.5, 1, 0]),
    // Channel-major [background, 4 classes] x 4 pixels: pixels 0-2 are uniform over classes.
    ntProbabilities: Float32Array.from([
      0, 0, 0, 1, 0.25, 0.25, 0.25, 0, 0.25, 0.25, 0.25, 0, 0.25, 0.25, 0.25, 0, 0.25,
      0.25, 0.25, 0,
    ]),
    embedding: Float32Array.from([3, 4]),
    tokenMeanEmbedding: null,
    rgbTile: blankGlass(32, 1),
    tissueFraction: 0.8,
    nuclei: [
      { centroidBase: { x: 5, y: 5 }, classProbabilities: [0.05, 0.05, 0.85, 0.05] },
      { centroidBase: { x: 9, y: 9 }, classProbabilities: [0.4, 0.35, 0.2, 0.05] },
    ],
    ...over,
  };
}

describe('assessTile', () => {
  it('averages the nucleus-map entropy in bits over every pixel', () => {
    expect(assessTile(evidence(), makeContext()).npEntropyMean).toBeCloseTo(0.5, 6);
  });

  it('averages type entropy over nucleus pixels only', () => {
    const result = assessTile(evidence(), makeContext());
    expect(result.ntEntropyPixels).toBe(3);
    expect(result.ntEntropyMean).toBeCloseTo(1, 6);
  });

  it('measures the Mahalanobis distance and flags it beyond the threshold', () => {
    const result = assessTile(evidence(), makeContext());
    expect(result.oodDistance).toBeCloseTo(5, 12);
    expect(result.isOod).toBe(true);
  });

  it('takes the larger distance when a token-mean embedding and its reference are given', () => {
    const context = {
      ...makeContext(),
      tokenOodReference: {
        dim: 2,
        mean: Float64Array.from([0, 0]),
        precision: Float64Array.from([4, 0, 0, 4]),
      },
    };
    const result = assessTile(
      evidence({
        embedding: Float32Array.from([0, 1]),
        tokenMeanEmbedding: Float32Array.from([0, 1]),
      }),
      context,
    );
    expect(result.oodDistance).toBeCloseTo(2, 12);
  });

  it('ignores a token-mean embedding when the bundle has no reference for it', () => {
    const result = assessTile(
      evidence({
        embedding: Float32Array.from([0, 1]),
        tokenMeanEmbedding: Float32Array.from([0, 9]),
      }),
      makeContext(),
    );
    expect(result.oodDistance).toBeCloseTo(1, 12);
    expect(result.isOod).toBe(false);
  });

  it('gives each nucleus a prediction set of class indices, most probable first', () => {
    const result = assessTile(evidence(), makeContext());
    expect(result.nucleusSets[0]).toEqual([3]);
    expect(result.nucleusSets[1]).toEqual([1, 2, 3]);
    expect(result.setSizeSum).toBe(4);
  });

  it('counts nuclei by their most probable type and counts the neoplastic ones', () => {
    const result = assessTile(evidence(), makeContext());
    expect(result.countsByClass).toEqual({ 3: 1, 1: 1 });
    expect(result.neoplasticCount).toBe(1);
  });

  it('reports a calibration that does not fit the embedding as a bundle problem', () => {
    const run = () =>
      assessTile(evidence({ embedding: Float32Array.from([1, 2, 3]) }), makeContext());
    expect(run).toThrow(CalibrationMismatchError);
  });
});
