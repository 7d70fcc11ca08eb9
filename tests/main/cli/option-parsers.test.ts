import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  nonEmptyPath,
  parseRegion,
  positiveNumber,
  wholeNumberIn,
} from '../../../src-main/cli/option-parsers';

describe('command-line option parsers', () => {
  it.each([
    ['0.25', 0.25],
    ['1', 1],
    ['.5', 0.5],
    [' 0.499 ', 0.499],
  ])('reads %j as the positive number %d', (text, value) => {
    expect(positiveNumber(text)).toBe(value);
  });

  it.each(['0', '-0.25', '0x1', '1e3', '', 'abc', 'Infinity', '0.25.1', '1,5'])(
    'refuses %j as a positive number',
    (text) => {
      expect(() => positiveNumber(text)).toThrow(InvalidArgumentError);
    },
  );

  it('reads whole numbers within bounds and refuses the rest', () => {
    const batch = wholeNumberIn(1, 64);
    expect(batch('1')).toBe(1);
    expect(batch('64')).toBe(64);
    for (const text of ['0', '65', '100000', '1.5', '1e1', '0x10', '', '-3']) {
      expect(() => batch(text)).toThrow(/from 1 to 64/);
    }
  });

  it('refuses an empty path, so an unset variable cannot stand for one', () => {
    expect(nonEmptyPath('results.db')).toBe('results.db');
    expect(() => nonEmptyPath('')).toThrow(InvalidArgumentError);
    expect(() => nonEmptyPath('  ')).toThrow(InvalidArgumentError);
  });

  it('reads a region of whole level-0 pixels', () => {
    expect(parseRegion('700, 900,600,500')).toEqual({
      x: 700,
      y: 900,
      width: 600,
      height: 500,
    });
  });

  it.each([
    '0,0,0,10',
    '0,0,10',
    '-1,0,10,10',
    '1e3,0,10,10',
    '0,0,9007199254740993,10',
    '0,0,99999999999999999999,10',
    '0.5,0,10,10',
    '0,0,10,10,10',
    '',
  ])('refuses the region %j', (text) => {
    expect(() => parseRegion(text)).toThrow(/whole numbers, size > 0/);
  });
});
