import { describe, expect, it } from 'vitest';
import { BoundedFreeList } from '../../../../src-main/slides/openslide/bounded-free-list';

const sized = (size: number) => ({ size });
const list = (maxItems: number) =>
  new BoundedFreeList<{ size: number }>(maxItems, (item) => item.size);

describe('BoundedFreeList', () => {
  it('hands out the smallest kept item large enough for the request', () => {
    const free = list(3);
    const [small, middle, large] = [sized(10), sized(20), sized(30)];
    for (const item of [large, small, middle]) free.keep(item);

    expect(free.takeAtLeast(15)).toBe(middle);
    expect(free.kept).toEqual([large, small]);
  });

  it('returns null when every kept item is too small', () => {
    const free = list(2);
    free.keep(sized(10));

    expect(free.takeAtLeast(11)).toBeNull();
  });

  it('keeps at most its bound, letting a larger item replace the smallest', () => {
    const free = list(2);
    const [small, large, larger] = [sized(10), sized(20), sized(40)];
    for (const item of [small, large, larger]) free.keep(item);

    expect(free.kept).toEqual([larger, large]);
  });

  it('keeps an item given back twice only once', () => {
    const free = list(2);
    const item = sized(10);
    free.keep(item);
    free.keep(item);

    expect(free.kept).toHaveLength(1);
  });
});
