import { describe, expect, it } from 'vitest';
import { BlockingReadPolicy } from '../../../src-main/slides/openslide/blocking-read-policy';

const TILE_PX = 256 * 256;

describe('BlockingReadPolicy', () => {
  it('lets no read block before one has been timed', () => {
    expect(new BlockingReadPolicy(50).canBlock(1)).toBe(false);
  });

  it('lets a read block when reads of its size have taken less than the budget', () => {
    const policy = new BlockingReadPolicy(4);
    policy.record(TILE_PX, 1.2);
    expect(policy.canBlock(TILE_PX)).toBe(true);
  });

  it('sends a read to the worker when its expected time exceeds the budget', () => {
    const policy = new BlockingReadPolicy(4);
    policy.record(TILE_PX, 1.2);
    // Four times the pixels at the same rate is expected to take 4.8 ms.
    expect(policy.canBlock(4 * TILE_PX)).toBe(false);
  });

  it('stops letting reads block as soon as one takes far longer than the budget', () => {
    const policy = new BlockingReadPolicy(4);
    for (let i = 0; i < 10; i++) policy.record(TILE_PX, 1);
    policy.record(TILE_PX, 20);
    expect(policy.canBlock(TILE_PX)).toBe(false);
  });

  it('lets reads block again within a handful of quick reads after slow ones', () => {
    const policy = new BlockingReadPolicy(4);
    for (let i = 0; i < 3; i++) policy.record(TILE_PX, 8);
    let quickReads = 0;
    while (!policy.canBlock(TILE_PX) && quickReads < 20) {
      policy.record(TILE_PX, 1);
      quickReads++;
    }
    expect(quickReads).toBeLessThanOrEqual(5);
  });

  it('weighs reads by size, so a slow tiny read barely moves the estimate', () => {
    const policy = new BlockingReadPolicy(4);
    policy.record(TILE_PX, 1.2);
    policy.record(1, 0.5);
    expect(policy.canBlock(TILE_PX)).toBe(true);
  });

  it('ignores a read of no pixels or an impossible duration', () => {
    const policy = new BlockingReadPolicy(4);
    policy.record(0, 1);
    policy.record(TILE_PX, Number.NaN);
    expect(policy.canBlock(1)).toBe(false);
  });
});
