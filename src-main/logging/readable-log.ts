/**
 * Log lines for a person at a terminal: the command line's warnings and errors as
 * one plain line each instead of JSON. Fields are already redacted by the logger.
 */

/** Fields of a log record that the readable line states in its own words. */
const FRAMING_FIELDS = new Set(['level', 'time', 'module', 'event', 'msg']);

/** pino's numeric levels, as words. */
const LEVEL_WORDS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

function fieldText(value: unknown): string {
  if (typeof value === 'string')
    return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * `{"level":40,"module":"inference","event":"provider.unavailable","provider":"cuda"}`
 * becomes `warning [inference] provider.unavailable: provider=cuda`. A line that is
 * not a JSON record passes through unchanged.
 */
export function readableLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof record !== 'object' || record === null) return line;
  const level = LEVEL_WORDS[Number(record.level)] ?? 'log';
  const fields = Object.entries(record)
    .filter(([key]) => !FRAMING_FIELDS.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const head = `${level} [${String(record.module ?? '-')}] ${String(record.event ?? '')}`;
  return `${fields.length > 0 ? `${head}: ${fields.join(' ')}` : head}\n`;
}
