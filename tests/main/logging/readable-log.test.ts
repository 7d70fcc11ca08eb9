import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, setLogSink } from '../../../src-main/logging/logger';
import { readableLogLine } from '../../../src-main/logging/readable-log';

describe('readableLogLine', () => {
  afterEach(() => setLogSink(null));

  it('writes a warning as one plain line with its fields', () => {
    const line = readableLogLine(
      '{"level":40,"time":"2026-01-01T00:00:00.000Z","module":"inference",' +
        '"event":"provider.unavailable","provider":"cuda",' +
        '"reason":"exited with 1: no libcudart","fallback":"cpu"}\n',
    );
    expect(line).toBe(
      'warning [inference] provider.unavailable: provider=cuda ' +
        'reason="exited with 1: no libcudart" fallback=cpu\n',
    );
  });

  it('writes errors, numbers and lists, and passes text that is not JSON through', () => {
    expect(
      readableLogLine('{"level":50,"module":"store","event":"x","n":3,"a":[1]}'),
    ).toBe('error [store] x: n=3 a=[1]\n');
    expect(readableLogLine('{"level":30,"module":"cli","event":"done"}')).toBe(
      'info [cli] done\n',
    );
    expect(readableLogLine('not json\n')).toBe('not json\n');
  });

  it('keeps the redaction the logger applied to the fields', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(readableLogLine(line)));
    createLogger('slides').warn('slide.open.failed', {
      path: '/data/S23-004512_SMITH.svs',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning \[slides\] slide\.open\.failed: /);
    expect(lines[0]).not.toContain('S23-004512');
    expect(lines[0]).not.toContain('SMITH');
  });
});
