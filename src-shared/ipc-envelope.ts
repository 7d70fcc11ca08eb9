/**
 * The loopback transport's wire format: a value that may hold `ArrayBuffer`s, framed
 * so pixels and packed nuclei travel as raw bytes rather than JSON arrays.
 *
 * Layout: the 4 ASCII bytes `CVE1`, a little-endian uint32 `n`, `n` bytes of
 * ASCII-only JSON `{ "value": …, "buffers": [[offset, length], …] }`, padding to a
 * multiple of 8, then the buffers (offsets relative to the start of that section).
 * Each buffer stands in the JSON as `{ "$binary": index }`. Non-ASCII characters are
 * escaped as `\uXXXX`, so encoding needs no text codec and stays pure.
 */

const MAGIC = [0x43, 0x56, 0x45, 0x31];
const HEADER_BYTES = 8;
const BINARY_KEY = '$binary';

/** The bytes are not a well-formed envelope. */
export class EnvelopeFormatError extends Error {
  constructor(message: string) {
    super(`Malformed response envelope: ${message}`);
    this.name = 'EnvelopeFormatError';
  }
}

/** The media type of an envelope body. */
export const ENVELOPE_MEDIA_TYPE = 'application/vnd.cellvit.envelope';

function align8(length: number): number {
  return Math.ceil(length / 8) * 8;
}

function toAsciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function replaceBuffers(value: unknown, buffers: ArrayBuffer[]): unknown {
  if (value instanceof ArrayBuffer) {
    buffers.push(value);
    return { [BINARY_KEY]: buffers.length - 1 };
  }
  if (Array.isArray(value)) return value.map((item) => replaceBuffers(item, buffers));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = replaceBuffers(item, buffers);
    return out;
  }
  return value;
}

/** Frames `value` (which may contain `ArrayBuffer`s anywhere) as one byte array. */
export function encodeEnvelope(value: unknown): Uint8Array {
  const buffers: ArrayBuffer[] = [];
  const replaced = replaceBuffers(value, buffers);

  const ranges: [number, number][] = [];
  let dataBytes = 0;
  for (const buffer of buffers) {
    ranges.push([dataBytes, buffer.byteLength]);
    dataBytes = align8(dataBytes + buffer.byteLength);
  }

  const json = toAsciiJson({ value: replaced, buffers: ranges });
  const dataStart = align8(HEADER_BYTES + json.length);
  const out = new Uint8Array(dataStart + dataBytes);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, json.length, true);
  for (let i = 0; i < json.length; i += 1) out[HEADER_BYTES + i] = json.charCodeAt(i);

  buffers.forEach((buffer, index) => {
    out.set(new Uint8Array(buffer), dataStart + (ranges[index]?.[0] ?? 0));
  });
  return out;
}

function readAscii(bytes: Uint8Array): string {
  let text = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return text;
}

function restoreBuffers(value: unknown, buffers: ArrayBuffer[]): unknown {
  if (Array.isArray(value)) return value.map((item) => restoreBuffers(item, buffers));
  if (value === null || typeof value !== 'object') return value;

  const record = value as Record<string, unknown>;
  const index = record[BINARY_KEY];
  if (typeof index === 'number' && Object.keys(record).length === 1) {
    const buffer = buffers[index];
    if (!buffer) throw new EnvelopeFormatError(`buffer ${index} is missing`);
    return buffer;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record))
    out[key] = restoreBuffers(item, buffers);
  return out;
}

function parseHeader(bytes: Uint8Array): { json: string; dataStart: number } {
  if (bytes.length < HEADER_BYTES || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new EnvelopeFormatError('missing the CVE1 signature');
  }
  const jsonBytes = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (HEADER_BYTES + jsonBytes > bytes.length) {
    throw new EnvelopeFormatError('the JSON part runs past the end');
  }
  const json = readAscii(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonBytes));
  return { json, dataStart: align8(HEADER_BYTES + jsonBytes) };
}

/** Reads an envelope back into the value it framed, with fresh `ArrayBuffer`s. */
export function decodeEnvelope(body: ArrayBuffer | Uint8Array): unknown {
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
  const { json, dataStart } = parseHeader(bytes);

  let parsed: { value?: unknown; buffers?: unknown };
  try {
    parsed = JSON.parse(json) as { value?: unknown; buffers?: unknown };
  } catch (error) {
    throw new EnvelopeFormatError(`the JSON part does not parse (${String(error)})`);
  }
  if (!Array.isArray(parsed.buffers)) throw new EnvelopeFormatError('no buffer table');

  const buffers = (parsed.buffers as unknown[]).map((range) => {
    const [offset, length] = Array.isArray(range) ? range : [];
    if (typeof offset !== 'number' || typeof length !== 'number') {
      throw new EnvelopeFormatError('a buffer range is not [offset, length]');
    }
    const start = bytes.byteOffset + dataStart + offset;
    if (dataStart + offset + length > bytes.length) {
      throw new EnvelopeFormatError('a buffer runs past the end');
    }
    return bytes.buffer.slice(start, start + length) as ArrayBuffer;
  });
  return restoreBuffers(parsed.value, buffers);
}
