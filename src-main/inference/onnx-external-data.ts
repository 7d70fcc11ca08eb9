/**
 * Finds the external-data references of an ONNX model by walking its protobuf
 * wire format. ONNX Runtime resolves such references on disk by itself, outside the
 * bundle's hash check, so the loader must know about them before creating a session.
 *
 * Field numbers come from onnx/onnx.proto (ModelProto.graph = 7, .functions = 25;
 * GraphProto.node = 1, .initializer = 5, .sparse_initializer = 15; NodeProto.attribute
 * = 5; AttributeProto.t = 5, .g = 6, .tensors = 10, .graphs = 11, .sparse_tensor = 22,
 * .sparse_tensors = 23; TensorProto.external_data = 13, .data_location = 14;
 * SparseTensorProto.values = 1, .indices = 2; FunctionProto.node = 7).
 */
import { BundleInvalidError } from './bundle-errors';

type MessageKind =
  'model' | 'graph' | 'node' | 'attribute' | 'tensor' | 'sparse' | 'function';

/** Which length-delimited fields of each message hold which nested message. */
const NESTED: Record<MessageKind, Record<number, MessageKind>> = {
  model: { 7: 'graph', 25: 'function' },
  graph: { 1: 'node', 5: 'tensor', 15: 'sparse' },
  node: { 5: 'attribute' },
  attribute: {
    5: 'tensor',
    6: 'graph',
    10: 'tensor',
    11: 'graph',
    22: 'sparse',
    23: 'sparse',
  },
  tensor: {},
  sparse: { 1: 'tensor', 2: 'tensor' },
  function: { 7: 'node' },
};

const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const DATA_LOCATION_EXTERNAL = 1;
const MAX_DEPTH = 64;

interface Cursor {
  bytes: Uint8Array;
  offset: number;
}

function readVarint(cursor: Cursor): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i += 1) {
    const byte = cursor.bytes[cursor.offset];
    if (byte === undefined) throw malformed();
    cursor.offset += 1;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value;
    scale *= 128;
  }
  throw malformed();
}

function malformed(): BundleInvalidError {
  return new BundleInvalidError(
    'An ONNX graph of the bundle is not a valid ONNX protobuf.',
  );
}

/**
 * Lists the `location` of every tensor of the model stored as external data
 * (an empty list for self-contained models). Throws BUNDLE_INVALID on malformed bytes.
 */
export function findExternalDataLocations(modelBytes: Uint8Array): string[] {
  const locations = new Set<string>();
  walkMessage({ bytes: modelBytes, offset: 0 }, modelBytes.length, 'model', locations, 0);
  return [...locations];
}

function walkMessage(
  cursor: Cursor,
  end: number,
  kind: MessageKind,
  locations: Set<string>,
  depth: number,
): void {
  if (depth > MAX_DEPTH) throw malformed();
  let isExternal = false;
  const tensorLocations: string[] = [];

  while (cursor.offset < end) {
    const key = readVarint(cursor);
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType !== 2) {
      const value = skipScalar(cursor, wireType);
      if (kind === 'tensor' && field === TENSOR_DATA_LOCATION) {
        isExternal = value === DATA_LOCATION_EXTERNAL;
      }
      continue;
    }

    const length = readVarint(cursor);
    const fieldEnd = cursor.offset + length;
    if (fieldEnd > end) throw malformed();
    const nested = NESTED[kind][field];
    if (kind === 'tensor' && field === TENSOR_EXTERNAL_DATA) {
      tensorLocations.push(...readLocationEntry(cursor, fieldEnd));
    } else if (nested) {
      walkMessage(cursor, fieldEnd, nested, locations, depth + 1);
    }
    cursor.offset = fieldEnd;
  }

  if (isExternal || tensorLocations.length > 0) {
    if (tensorLocations.length === 0) locations.add('(no location)');
    tensorLocations.forEach((location) => locations.add(location));
  }
}

function skipScalar(cursor: Cursor, wireType: number): number {
  if (wireType === 0) return readVarint(cursor);
  const width = wireType === 1 ? 8 : wireType === 5 ? 4 : -1;
  if (width < 0 || cursor.offset + width > cursor.bytes.length) throw malformed();
  cursor.offset += width;
  return -1;
}

/** Reads a StringStringEntryProto and returns its value when its key is `location`. */
function readLocationEntry(cursor: Cursor, end: number): string[] {
  const decoder = new TextDecoder();
  let key = '';
  let value = '';

  while (cursor.offset < end) {
    const tag = readVarint(cursor);
    if ((tag & 7) !== 2) {
      skipScalar(cursor, tag & 7);
      continue;
    }
    const length = readVarint(cursor);
    const text = decoder.decode(
      cursor.bytes.subarray(cursor.offset, cursor.offset + length),
    );
    cursor.offset += length;
    if (tag >> 3 === 1) key = text;
    else if (tag >> 3 === 2) value = text;
  }
  return key === 'location' ? [value] : [];
}
