import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, setLogSink } from '../../../src-main/logging/logger';
import { slideRef } from '../../../src-main/logging/slide-ref';

const IDENTIFIERS = [
  '/data/cases/S23-004512 SMITH JOHN/S23-004512_A1.svs',
  'C:\\Slides\\2024\\AB12-99887\\block 3.ndpi',
  'TCGA-CR-7395-01A-01-TS1.svs',
  'S23-004512',
  'MRN 12345678',
  'DOE^JANE',
];

function captureLines(): string[] {
  const lines: string[] = [];
  setLogSink((line) => lines.push(line));
  return lines;
}

describe('logger', () => {
  afterEach(() => setLogSink(null));

  it('writes one JSON line with module, event and fields', () => {
    const lines = captureLines();
    createLogger('slides').info('slide.open.done', { levels: 3, durationMs: 12 });
    const record = JSON.parse(lines[0] ?? '{}');
    expect(record).toMatchObject({
      module: 'slides',
      event: 'slide.open.done',
      levels: 3,
    });
    expect(typeof record.time).toBe('string');
  });

  it('lets no known identifier through in any field', () => {
    const lines = captureLines();
    const log = createLogger('privacy');
    for (const text of IDENTIFIERS) {
      log.error('slide.open.failed', { reason: `cannot open ${text}`, path: text });
      log.warn(`event with ${text}`, { nested: { detail: [text] }, patientName: text });
      log.info('error.caught', { error: new Error(`ENOENT: no such file ${text}`) });
    }
    const output = lines.join('\n');
    for (const text of [
      '004512',
      'SMITH',
      '99887',
      'TCGA-CR-7395',
      '12345678',
      'DOE^JANE',
    ]) {
      expect(output).not.toContain(text);
    }
    expect(lines.length).toBe(IDENTIFIERS.length * 3);
  });

  it('keeps numbers, codes and slide references readable', () => {
    const lines = captureLines();
    const ref = slideRef(42);
    createLogger('analysis').info('analysis.done', {
      slideRef: ref,
      tiles: 120,
      code: 'OK',
    });
    expect(lines[0]).toContain(ref);
    expect(lines[0]).toContain('"tiles":120');
  });

  it("keeps the app's error codes, which are shaped like identifiers", () => {
    const lines = captureLines();
    createLogger('analysis').error('analysis.failed', { code: 'SLIDE_CORRUPT' });

    expect(lines[0]).toContain('"code":"SLIDE_CORRUPT"');
  });

  it('still masks an identifier that merely resembles an error code', () => {
    const lines = captureLines();
    createLogger('analysis').error('analysis.failed', { code: 'S23_004512' });

    expect(lines[0]).not.toContain('S23_004512');
  });
});
