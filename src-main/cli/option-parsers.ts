/**
 * Parsers of command-line option values, shared by the commands. Each accepts only
 * the plain decimal spelling a person types (`0.25`, `512`): `Number()` alone would
 * also take `0x1`, `1e3`, `''` and digits beyond what a double holds exactly, and
 * quietly analyse something other than what was meant.
 */
import { InvalidArgumentError } from 'commander';
import type { Rect } from '../../src-shared/geometry';

const DECIMAL = /^\d+(\.\d+)?$|^\.\d+$/;
const WHOLE = /^\d+$/;

/** A positive decimal number, e.g. micrometres per pixel. */
export function positiveNumber(text: string): number {
  const value = Number(text.trim());
  if (!DECIMAL.test(text.trim()) || !(value > 0) || !Number.isFinite(value))
    throw new InvalidArgumentError(
      `expected a positive number written as a decimal (e.g. 0.25), got "${text}"`,
    );
  return value;
}

/** A positive decimal number from `min` to `max` (both included). */
export function positiveNumberIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = positiveNumber(text);
    if (value < min || value > max)
      throw new InvalidArgumentError(
        `expected a number from ${min} to ${max}, got "${text}"`,
      );
    return value;
  };
}

/** A whole number from `min` to `max` (both included). */
export function wholeNumberIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text.trim());
    if (!WHOLE.test(text.trim()) || value < min || value > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min} to ${max}, got "${text}"`,
      );
    }
    return value;
  };
}

/** A file path that is not empty (an empty `--db "$UNSET"` must not pass as a path). */
export function nonEmptyPath(text: string): string {
  if (text.trim() === '') throw new InvalidArgumentError('expected a path, got ""');
  return text;
}

/** Parses `x,y,w,h` (level-0 pixels, whole numbers) as a rectangle. */
export function parseRegion(text: string): Rect {
  const fields = text.split(',').map((part) => part.trim());
  const values = fields.map(Number);
  const [x, y, width, height] = values;
  const isValid =
    fields.length === 4 &&
    fields.every((field) => WHOLE.test(field)) &&
    values.every(Number.isSafeInteger) &&
    width! > 0 &&
    height! > 0;
  if (!isValid) {
    throw new InvalidArgumentError(
      `expected x,y,width,height in level-0 pixels (whole numbers, size > 0), got "${text}"`,
    );
  }
  return { x: x!, y: y!, width: width!, height: height! };
}
