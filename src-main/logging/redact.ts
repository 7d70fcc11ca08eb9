/**
 * Masks text that could identify a patient before it reaches a log sink.
 *
 * Slide file names and paths often carry accession numbers or names, so every
 * string field is scrubbed of path-, file-name- and identifier-shaped text, and
 * fields whose key says what they hold are dropped outright. This is the last
 * line of defence: callers log a `slideRef`, never a path.
 */

import { ERROR_CODES } from '../../src-shared/errors';

/**
 * The app's own error codes (`SLIDE_CORRUPT`, `STORE_DISK_FULL`) are shaped like
 * identifiers but are constants of this code, never patient data: a log that says
 * why an analysis failed must keep them.
 */
const OWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

const SENSITIVE_KEYS =
  /^(path|paths|file|filename|filepath|dir|directory|patient.*|label.*|barcode.*|accession.*|name|comment|text|url)$/i;

const SLIDE_FILE =
  /[^\s"'/\\]*\.(svs|tif|tiff|ndpi|mrxs|scn|bif|vms|vmu|svslide|dcm|png|jpe?g|db|onnx)\b/gi;
// A path may hold spaces (folder names such as "S23-004512 SMITH JOHN"), so
// everything from where a path starts to the end of the line is masked.
const PATH_LIKE = /(?:[A-Za-z]:)?[\\/](?:[^\s"'\\/:]+[\\/])+.*|~[\\/].*/g;
const DICOM_PERSON_NAME = /\S*\^\S*/g;
const IDENTIFIER_LIKE = /\b[A-Z]{1,6}\d{0,4}[-_][A-Z0-9]{2,}(?:[-_][A-Z0-9]+)*\b/g;
const LONG_NUMBER = /\b\d{6,}\b/g;

/** Masks path-, file- and identifier-shaped runs in one string. */
export function redactText(text: string): string {
  return text
    .replace(PATH_LIKE, '[path]')
    .replace(SLIDE_FILE, '[file]')
    .replace(IDENTIFIER_LIKE, '[id]')
    .replace(DICOM_PERSON_NAME, '[name]')
    .replace(LONG_NUMBER, '[number]');
}

/** Deep-copies log fields with sensitive keys dropped and every string masked. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return OWN_CODES.has(value) ? value : redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }

  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = SENSITIVE_KEYS.test(key) ? '[redacted]' : redactFields(field, depth + 1);
  }
  return out;
}
