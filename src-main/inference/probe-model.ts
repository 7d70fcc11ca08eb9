/**
 * A minimal ONNX model (y = Relu(x), x: float32[4]) encoded in protobuf wire format,
 * used to probe whether an execution provider can create a session. Building it in
 * code keeps the probe free of any file on disk.
 */

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(field: number, value: number): number[] {
  return [...varint(field * 8), ...varint(value)];
}

function bytesField(field: number, payload: number[] | string): number[] {
  const body =
    typeof payload === 'string' ? [...new TextEncoder().encode(payload)] : payload;
  return [...varint(field * 8 + 2), ...varint(body.length), ...body];
}

function vectorValueInfo(name: string, length: number): number[] {
  const dim = bytesField(1, varintField(1, length));
  const shape = bytesField(2, dim);
  const tensorType = bytesField(1, [...varintField(1, 1), ...shape]);
  return [...bytesField(1, name), ...bytesField(2, tensorType)];
}

/** The bytes of the probe model (IR version 8, opset 13). */
export function buildProbeModel(): Uint8Array {
  const node = [...bytesField(1, 'x'), ...bytesField(2, 'y'), ...bytesField(4, 'Relu')];
  const graph = [
    ...bytesField(1, node),
    ...bytesField(2, 'probe'),
    ...bytesField(11, vectorValueInfo('x', 4)),
    ...bytesField(12, vectorValueInfo('y', 4)),
  ];
  const opset = [...bytesField(1, ''), ...varintField(2, 13)];
  return Uint8Array.from([
    ...varintField(1, 8),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}
