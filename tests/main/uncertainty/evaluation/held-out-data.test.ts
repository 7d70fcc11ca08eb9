import { describe, expect, it } from 'vitest';
import {
  parseOrganLabels,
  typedHeldOutImages,
} from '../../../../src-main/uncertainty/evaluation/held-out-data';
import { tileOrigins } from '../../../../src-main/uncertainty/evaluation/evaluation-model';
import { makeCalibration } from '../triage-builders';

describe('typedHeldOutImages', () => {
  it('refuses a bundle without a test split and says which bundle to use', () => {
    expect(() => typedHeldOutImages(makeCalibration(), '/nowhere')).toThrow(
      /built with a test split/,
    );
  });
});

describe('parseOrganLabels', () => {
  it('maps each image to its organ column', () => {
    const csv =
      'image,tcga_project,organ,pannuke_organ\nA,LGG,brain,(none)\nB,COAD,colon,Colon\n';
    expect([...parseOrganLabels(csv)]).toEqual([
      ['A', 'brain'],
      ['B', 'colon'],
    ]);
  });
});

describe('tileOrigins', () => {
  it('covers 1000 px with 256 px tiles ending flush with the edge', () => {
    expect(tileOrigins(1000, 256)).toEqual([0, 248, 496, 744]);
  });

  it('uses one tile when the image is exactly one tile', () => {
    expect(tileOrigins(256, 256)).toEqual([0]);
  });

  it('uses one tile, padded past the edge, when the image is smaller than a tile', () => {
    expect(tileOrigins(128, 256)).toEqual([0]);
  });
});
