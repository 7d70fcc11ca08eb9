import { describe, expect, it } from 'vitest';
import {
  chooseNucleiLod,
  nucleusDiameterBase,
  planChunkDraws,
} from '../../../src-renderer/overlays/nuclei/lod-policy';

const budget = { maxPoints: 1000, maxPolygons: 100, maxContourVertices: 50 };
const base = { nucleusDiameterBase: 16, isFilled: false, budget };

describe('chooseNucleiLod', () => {
  it('draws density when a nucleus would span under 1.5 screen pixels', () => {
    expect(
      chooseNucleiLod({ ...base, screenPxPerBasePx: 0.05, estimatedVisibleNuclei: 10 }),
    ).toBe('density');
  });

  it('draws density when more nuclei are visible than the point budget', () => {
    expect(
      chooseNucleiLod({ ...base, screenPxPerBasePx: 1, estimatedVisibleNuclei: 1001 }),
    ).toBe('density');
  });

  it('draws points at mid zoom', () => {
    expect(
      chooseNucleiLod({ ...base, screenPxPerBasePx: 0.25, estimatedVisibleNuclei: 50 }),
    ).toBe('points');
  });

  it('draws outlines at full resolution within the polygon budget', () => {
    expect(
      chooseNucleiLod({ ...base, screenPxPerBasePx: 1, estimatedVisibleNuclei: 50 }),
    ).toBe('outlines');
  });

  it('draws filled polygons when the user asked for them', () => {
    const lod = chooseNucleiLod({
      ...base,
      isFilled: true,
      screenPxPerBasePx: 1,
      estimatedVisibleNuclei: 50,
    });
    expect(lod).toBe('filled');
  });
});

describe('nucleusDiameterBase', () => {
  it('is 8 µm in level-0 pixels for a calibrated slide', () => {
    expect(nucleusDiameterBase(0.25)).toBe(32);
  });

  it('falls back to 16 px for an uncalibrated slide', () => {
    expect(nucleusDiameterBase(null)).toBe(16);
  });
});

describe('planChunkDraws', () => {
  it('spends the vertex budget on the chunks nearest the centre and draws the rest as points', () => {
    const chunks = [
      { contourVertexCount: 30, nucleusCount: 3, distanceToCentre: 500 },
      { contourVertexCount: 30, nucleusCount: 3, distanceToCentre: 10 },
      { contourVertexCount: 25, nucleusCount: 1, distanceToCentre: 100 },
    ];
    expect(planChunkDraws(chunks, 'outlines', budget)).toEqual([
      'points',
      'polygons',
      'points',
    ]);
  });

  it('skips chunks once the point budget is spent', () => {
    const chunks = [
      { contourVertexCount: 9999, nucleusCount: 900, distanceToCentre: 0 },
      { contourVertexCount: 9999, nucleusCount: 900, distanceToCentre: 1 },
    ];
    expect(planChunkDraws(chunks, 'points', budget)).toEqual(['points', 'skip']);
  });
});
