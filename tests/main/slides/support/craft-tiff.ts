/**
 * Writes small hostile TIFF files at test time: a header that claims absurd
 * dimensions, and a tiled image whose tile offsets point past the end of file.
 */
import { writeFileSync } from 'node:fs';

interface Entry {
  tag: number;
  type: 3 | 4; // SHORT or LONG
  values: number[];
}

/** Builds a little-endian classic TIFF with one IFD at offset 8 and `payloadBytes` of zeros after it. */
export function buildTiff(entries: Entry[], payloadBytes = 0): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const ifdSize = 2 + sorted.length * 12 + 4;
  const extraStart = 8 + ifdSize;
  const extras: Buffer[] = [];
  let extraOffset = extraStart;
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16LE(sorted.length, 0);
  sorted.forEach((entry, i) => {
    const at = 2 + i * 12;
    const size = entry.type === 3 ? 2 : 4;
    ifd.writeUInt16LE(entry.tag, at);
    ifd.writeUInt16LE(entry.type, at + 2);
    ifd.writeUInt32LE(entry.values.length, at + 4);
    const data = Buffer.alloc(Math.max(4, entry.values.length * size));
    entry.values.forEach((v, k) =>
      size === 2 ? data.writeUInt16LE(v, k * 2) : data.writeUInt32LE(v, k * 4),
    );
    if (entry.values.length * size <= 4) {
      data.copy(ifd, at + 8, 0, 4);
    } else {
      ifd.writeUInt32LE(extraOffset, at + 8);
      extras.push(data);
      extraOffset += data.length;
    }
  });
  const header = Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
  return Buffer.concat([header, ifd, ...extras, Buffer.alloc(payloadBytes)]);
}

const rgbTags = (widthPx: number, heightPx: number): Entry[] => [
  { tag: 256, type: 4, values: [widthPx] },
  { tag: 257, type: 4, values: [heightPx] },
  { tag: 258, type: 3, values: [8, 8, 8] },
  { tag: 259, type: 3, values: [1] },
  { tag: 262, type: 3, values: [2] },
  { tag: 277, type: 3, values: [3] },
  { tag: 284, type: 3, values: [1] },
];

/** A stripped TIFF whose header claims `widthPx` x `heightPx` in a single strip (a decompression bomb). */
export function writeAbsurdDimensionsTiff(
  path: string,
  widthPx: number,
  heightPx: number,
): void {
  const entries: Entry[] = [
    ...rgbTags(widthPx, heightPx),
    { tag: 273, type: 4, values: [400] },
    { tag: 278, type: 4, values: [heightPx] },
    { tag: 279, type: 4, values: [64] },
  ];
  writeFileSync(path, buildTiff(entries, 512));
}

/** A 512x512 tiled TIFF (four 256 px tiles) whose last tile lies past the end of the file. */
export function writeTileOffsetPastEndTiff(path: string): void {
  const tileBytes = 256 * 256 * 3;
  const entries: Entry[] = [
    ...rgbTags(512, 512),
    { tag: 322, type: 4, values: [256] },
    { tag: 323, type: 4, values: [256] },
    { tag: 324, type: 4, values: [1024, 1024, 1024, 50_000_000] },
    { tag: 325, type: 4, values: [tileBytes, tileBytes, tileBytes, tileBytes] },
  ];
  writeFileSync(path, buildTiff(entries, 1024 + tileBytes));
}
