/**
 * A text file written in pieces with back-pressure, under a temporary name
 * renamed into place only when complete: a failed or cancelled export never
 * leaves a truncated file that looks finished.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';

/** An export file being written; `finish` or `abort` it exactly once. */
export interface ExportFile {
  write(text: string): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * The error a user sees when `what` (an export, a rendered picture) cannot be
 * written, from the file system's error: what went wrong and what to do about it.
 */
export function toExportError(error: unknown, what = 'The export'): AppError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC') {
    return new AppError(
      'STORE_DISK_FULL',
      `${what} could not be written: the disk is full.`,
      {
        cause: error,
      },
    );
  }
  if (code === 'ENOENT') {
    return new AppError(
      'EXPORT_FAILED',
      `${what} could not be written: the output folder does not exist. ` +
        'Create it, or choose another --out.',
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError(
      'EXPORT_FAILED',
      `${what} could not be written: the output folder is not writable; choose another.`,
      { cause: error },
    );
  }
  if (code === 'EISDIR') {
    return new AppError(
      'EXPORT_FAILED',
      `${what} could not be written: the output path is a folder; give a file name.`,
      { cause: error },
    );
  }
  const reason = code ?? (error instanceof Error ? error.message : 'unknown error');
  return new AppError('EXPORT_FAILED', `${what} could not be written (${reason}).`, {
    cause: error,
  });
}

/** Opens `outPath` for writing through a temporary sibling file. */
export function openExportFile(outPath: string): ExportFile {
  const partialPath = path.join(
    path.dirname(outPath),
    `.${path.basename(outPath)}.${process.pid}.partial`,
  );
  const stream: WriteStream = createWriteStream(partialPath, { encoding: 'utf8' });
  let failure: unknown = null;
  stream.on('error', (error) => (failure = error));

  // `once` rejects when the stream emits 'error'; convert that into our error.
  const settle = async (event: string) => {
    try {
      await once(stream, event);
    } catch (error) {
      failure = error;
    }
    if (failure) throw toExportError(failure);
  };

  return {
    async write(text) {
      if (failure) throw toExportError(failure);
      if (!stream.write(text)) await settle('drain');
    },
    async finish() {
      if (failure) throw toExportError(failure);
      stream.end();
      await settle('finish');
      await rename(partialPath, outPath).catch((error: unknown) => {
        throw toExportError(error);
      });
    },
    async abort() {
      stream.destroy();
      await rm(partialPath, { force: true });
    },
  };
}
