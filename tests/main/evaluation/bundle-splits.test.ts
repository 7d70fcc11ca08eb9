import { describe, expect, it } from 'vitest';
import type { BundleCalibration } from '../../../src-shared/bundle-manifest';
import { isSeenSplit, splitMembership } from '../../../src-main/evaluation/bundle-splits';

describe('splitMembership', () => {
  it('lists the splits naming each image and skips notes that are not lists', () => {
    const calibration = {
      splits: {
        consep: { train: ['train_2'], val: ['train_1'], test: ['train_15'] },
        'monuseg-test': 'never used for training, selection or calibration',
      },
    } as unknown as BundleCalibration;

    const membership = splitMembership(calibration);

    expect(Object.fromEntries(membership)).toEqual({
      train_2: ['consep/train'],
      train_1: ['consep/val'],
      train_15: ['consep/test'],
    });
  });
});

describe('isSeenSplit', () => {
  it('treats every split but test as data that shaped the bundle', () => {
    expect(
      ['consep/train', 'consep/val', 'consep/calib', 'consep/test'].map(isSeenSplit),
    ).toEqual([true, true, true, false]);
  });
});
