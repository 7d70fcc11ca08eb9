/**
 * Hand-drawn instance maps for the metric tests: rectangles painted into a blank
 * map, and maps decoded from the reference fixture's run-length pairs.
 */
import type { InstanceMap } from '../../../src-main/evaluation/instance-overlap';

/** A rectangle of one label: columns x0..x1 and rows y0..y1, inclusive. */
export interface Box {
  label: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** A `widthPx` x `heightPx` map with `boxes` painted in order. */
export function paint(widthPx: number, heightPx: number, boxes: Box[]): InstanceMap {
  const labels = new Uint32Array(widthPx * heightPx);
  for (const box of boxes) {
    for (let y = box.y0; y <= box.y1; y += 1) {
      for (let x = box.x0; x <= box.x1; x += 1) labels[y * widthPx + x] = box.label;
    }
  }
  return { widthPx, heightPx, labels };
}

/** Decodes row-major `[value, count]` runs into a square map of `sizePx`. */
export function fromRuns(sizePx: number, runs: [number, number][]): InstanceMap {
  const labels = new Uint32Array(sizePx * sizePx);
  let at = 0;
  for (const [value, count] of runs) {
    labels.fill(value, at, at + count);
    at += count;
  }
  if (at !== labels.length)
    throw new Error(`Runs cover ${at} of ${labels.length} pixels.`);
  return { widthPx: sizePx, heightPx: sizePx, labels };
}
