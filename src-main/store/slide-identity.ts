/**
 * A slide's identity is its content: the same file reached through another
 * path, drive letter or copy is the same slide, and a different file saved under
 * an old name is not.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../src-shared/errors';

const SCHEME = 'cellvit-slide-content-v1';
const MIB = 1024 * 1024;
/** Files up to this size are hashed whole. */
export const WHOLE_FILE_LIMIT_BYTES = 64 * MIB;
const SAMPLE_BYTES = MIB;
const INTERIOR_SAMPLES = 8;

/** Level-0 dimensions, mixed into the identity so a truncated copy never matches. */
export interface SlideDimensions {
  widthPx: number;
  heightPx: number;
}

/**
 * sha256 (hex) over the scheme name, the file size, the level-0 dimensions and
 * the file's bytes: all of them up to {@link WHOLE_FILE_LIMIT_BYTES}, else the
 * first and last MiB plus 8 MiB sampled at evenly spaced offsets. Slide files
 * are written once by the scanner, so sampling a multi-gigabyte file is enough
 * to tell slides apart while keeping the cost to about 10 MiB of reads.
 */
// TODO: a DICOM-WSI series spread over several files is identified by the one
// file given - a change to its other instances (other levels) goes unnoticed.
export async function computeSlideContentId(
  filePath: string,
  dims: SlideDimensions,
): Promise<string> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(filePath, 'r');
    const sizeBytes = (await handle.stat()).size;
    const hash = createHash('sha256');
    hash.update(`${SCHEME}\n${sizeBytes}\n${dims.widthPx}x${dims.heightPx}\n`);

    for (const [offset, length] of sampleRanges(sizeBytes)) {
      hash.update(await readRange(handle, offset, length));
    }
    return hash.digest('hex');
  } catch (error) {
    throw toSlideFileError(error);
  } finally {
    await handle?.close();
  }
}

/** Byte ranges `[offset, length]` hashed for a file of `sizeBytes`, in file order. */
export function sampleRanges(sizeBytes: number): Array<[number, number]> {
  if (sizeBytes <= WHOLE_FILE_LIMIT_BYTES) return [[0, sizeBytes]];

  const ranges: Array<[number, number]> = [[0, SAMPLE_BYTES]];
  const interiorStart = SAMPLE_BYTES;
  const interiorSpan = sizeBytes - 2 * SAMPLE_BYTES;
  for (let i = 1; i <= INTERIOR_SAMPLES; i++) {
    const offset =
      interiorStart + Math.floor((interiorSpan * i) / (INTERIOR_SAMPLES + 1));
    ranges.push([offset - SAMPLE_BYTES / 2, SAMPLE_BYTES]);
  }
  ranges.push([sizeBytes - SAMPLE_BYTES, SAMPLE_BYTES]);
  return ranges;
}

async function readRange(
  handle: FileHandle,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const buffer = Buffer.alloc(Math.min(length, 4 * MIB));
  const hash = createHash('sha256');
  let done = 0;
  while (done < length) {
    const want = Math.min(buffer.length, length - done);
    const { bytesRead } = await handle.read(buffer, 0, want, offset + done);
    if (bytesRead === 0) throw new Error(`the file ended at byte ${offset + done}`);
    hash.update(buffer.subarray(0, bytesRead));
    done += bytesRead;
  }
  return hash.digest();
}

const FILE_ERRORS: Record<string, [AppError['code'], string]> = {
  ENOENT: ['SLIDE_NOT_FOUND', 'The slide file does not exist (moved or deleted?).'],
  EACCES: [
    'SLIDE_PERMISSION_DENIED',
    'The slide file cannot be read: permission denied.',
  ],
  EPERM: ['SLIDE_PERMISSION_DENIED', 'The slide file cannot be read: permission denied.'],
  EISDIR: [
    'SLIDE_NOT_A_FILE',
    'The slide path is a folder; choose the slide file itself.',
  ],
};

// Messages name no path: they may reach logs, and slide paths can carry
// accession numbers.
function toSlideFileError(error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  const known = FILE_ERRORS[code];
  if (known) return new AppError(known[0], known[1], { cause: error });
  const reason = code || (error instanceof Error ? error.message : 'unknown error');
  return new AppError(
    'SLIDE_READ_FAILED',
    `Could not read the slide to identify it (${reason}).`,
    {
      cause: error,
    },
  );
}
