/**
 * First contact with a slide path: does it exist, is it a readable regular
 * file with content, and what do its first bytes say it is.
 */
import { open, realpath, stat } from 'node:fs/promises';
import {
  EmptySlideError,
  SlideNotAFileError,
  SlideNotFoundError,
  SlidePermissionDeniedError,
  SlideReadError,
} from './slide-errors';

/** What the first bytes of a file say it is. */
export type SlideFileKind = 'tiff' | 'dicom' | 'png' | 'jpeg' | 'unknown';

/** A checked slide file: its canonical path, identity for caching, and kind. */
export interface SlideFile {
  realPath: string;
  sizeBytes: number;
  mtimeMs: number;
  kind: SlideFileKind;
  /** Lower-case extension without the dot (`svs`, `ndpi`), or ''. */
  extension: string;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** Converts a file-system error into the matching slide error. */
export function toSlideFileError(error: unknown): Error {
  const code = errorCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new SlideNotFoundError();
  if (code === 'EACCES' || code === 'EPERM')
    return new SlidePermissionDeniedError({ cause: error });
  if (code === 'EISDIR') return new SlideNotAFileError();
  return new SlideReadError('the file could not be opened', { cause: error });
}

/** Identifies a file from its magic bytes. */
export function sniffKind(head: Uint8Array): SlideFileKind {
  const ascii = (from: number, to: number) =>
    String.fromCharCode(...head.subarray(from, to));
  const byteOrder = ascii(0, 2);
  const version =
    byteOrder === 'II' ? head[2]! | (head[3]! << 8) : (head[2]! << 8) | head[3]!;
  if ((byteOrder === 'II' || byteOrder === 'MM') && (version === 42 || version === 43))
    return 'tiff';
  if (ascii(128, 132) === 'DICM') return 'dicom';
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  return 'unknown';
}

async function readHead(path: string): Promise<Uint8Array> {
  const head = new Uint8Array(132);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  return head;
}

/** Checks `path` and reads its magic bytes; throws typed slide errors for every failure. */
export async function inspectSlideFile(path: string): Promise<SlideFile> {
  try {
    const realPath = await realpath(path);
    const info = await stat(realPath);
    if (!info.isFile()) throw new SlideNotAFileError();
    if (info.size === 0) throw new EmptySlideError();
    const head = await readHead(realPath);
    const extension = /\.([^./\\]+)$/.exec(realPath)?.[1]?.toLowerCase() ?? '';
    return {
      realPath,
      sizeBytes: info.size,
      mtimeMs: info.mtimeMs,
      kind: sniffKind(head),
      extension,
    };
  } catch (error) {
    if (error instanceof SlideNotAFileError || error instanceof EmptySlideError)
      throw error;
    throw toSlideFileError(error);
  }
}
