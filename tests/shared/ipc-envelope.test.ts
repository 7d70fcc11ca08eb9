import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  encodeEnvelope,
  EnvelopeFormatError,
} from '../../src-shared/ipc-envelope';

describe('ipc-envelope', () => {
  it('round-trips nested ArrayBuffers byte for byte', () => {
    const floats = new Float32Array([1.5, -2.25, 3e6]).buffer;
    const bytes = new Uint8Array([1, 2, 3, 4, 5]).buffer;
    const decoded = decodeEnvelope(
      encodeEnvelope({ ok: true, value: { chunks: [{ bytes }, { floats }], n: 2 } }),
    ) as {
      value: { chunks: [{ bytes: ArrayBuffer }, { floats: ArrayBuffer }]; n: number };
    };

    expect(decoded.value.n).toBe(2);
    expect([...new Uint8Array(decoded.value.chunks[0].bytes)]).toEqual([1, 2, 3, 4, 5]);
    expect([...new Float32Array(decoded.value.chunks[1].floats)]).toEqual([
      1.5, -2.25, 3e6,
    ]);
  });

  it('keeps non-ASCII text intact through the ASCII-only JSON part', () => {
    const text = 'Schnitt № 3 – Größe µm² 病理';
    const decoded = decodeEnvelope(encodeEnvelope({ text })) as { text: string };
    expect(decoded.text).toBe(text);
  });

  it('aligns every buffer so typed arrays can view it without copying', () => {
    const encoded = encodeEnvelope({
      a: new Uint8Array(3).buffer,
      b: new Uint8Array(5).buffer,
    });
    const decoded = decodeEnvelope(encoded) as { a: ArrayBuffer; b: ArrayBuffer };
    expect(decoded.a.byteLength).toBe(3);
    expect(decoded.b.byteLength).toBe(5);
    expect(encoded.byteLength % 8).toBe(0);
  });

  it('refuses bytes without the signature', () => {
    expect(() => decodeEnvelope(new TextEncoder().encode('{"ok":true}'))).toThrow(
      EnvelopeFormatError,
    );
  });

  it('refuses a buffer table that points past the end', () => {
    const encoded = encodeEnvelope({ a: new Uint8Array(16).buffer });
    expect(() => decodeEnvelope(encoded.subarray(0, encoded.byteLength - 8))).toThrow(
      /past the end/,
    );
  });
});
