/**
 * File-level checks of a bundle folder: safe relative paths, no unlisted entries,
 * no symbolic links, and reads that hash the very bytes they return, so what ONNX
 * Runtime later parses is exactly what was verified.
 */
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { BundleInvalidError, BundleTamperedError } from './bundle-errors';

/** A file the manifest lists, with its recorded digest and size. */
export interface ListedFile {
  path: string;
  sha256: string;
  bytes: number;
}

const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Refuses a listed path that is absolute, climbs out with `..`, uses backslashes or
 * is not in normal form; bundle paths are POSIX-style and relative to the folder.
 */
export function assertSafeRelativePath(listedPath: string, field: string): void {
  const isAbsolute = path.posix.isAbsolute(listedPath) || /^[a-zA-Z]:/.test(listedPath);
  if (isAbsolute) {
    throw new BundleInvalidError(
      `${field}: "${listedPath}" is absolute; bundle paths are relative.`,
    );
  }

  const segments = listedPath.split('/');
  const isUnsafe =
    segments.some((s) => s === '..' || s === '.' || s === '') ||
    listedPath.includes('\\');
  if (isUnsafe) {
    throw new BundleInvalidError(
      `${field}: "${listedPath}" must be a plain relative path without "..", "." or backslashes.`,
    );
  }
}

/**
 * Lists every entry under `folder` (files and directories, relative POSIX paths)
 * and refuses symbolic links and anything that is not a regular file or directory.
 */
export async function listBundleEntries(folder: string): Promise<string[]> {
  const entries: string[] = [];
  const pending: string[] = [''];

  while (pending.length > 0) {
    const relative = pending.pop() ?? '';
    const children = await readdir(path.join(folder, relative), { withFileTypes: true });
    for (const child of children) {
      const childRelative = relative ? `${relative}/${child.name}` : child.name;
      if (child.isSymbolicLink()) {
        throw new BundleInvalidError(
          `"${childRelative}" is a symbolic link; bundles may not contain links. ` +
            'Replace it with the file itself, or reinstall the bundle from a trusted copy.',
        );
      }
      if (child.isDirectory()) pending.push(childRelative);
      else if (!child.isFile()) {
        throw new BundleInvalidError(`"${childRelative}" is not a regular file.`);
      }
      entries.push(child.isDirectory() ? `${childRelative}/` : childRelative);
    }
  }
  return entries.sort();
}

/**
 * Refuses entries of the folder that the manifest does not list: stray files could
 * be loaded by a graph's external-data reference or mislead whoever audits the
 * bundle. `allowed` are the listed paths plus `manifest.json`.
 */
export function assertNoUnlistedEntries(entries: string[], allowed: Set<string>): void {
  const unlisted = entries.filter((entry) => !allowed.has(entry));
  if (unlisted.length > 0) {
    throw new BundleInvalidError(
      `The bundle folder holds entries its manifest does not list: ${unlisted.join(', ')}. ` +
        'Remove them or rebuild the bundle.',
    );
  }
}

/**
 * Reads a listed file into memory while hashing it, refusing links (O_NOFOLLOW),
 * a size that differs from the manifest before reading, and a digest mismatch.
 */
export async function readVerifiedFile(
  folder: string,
  file: ListedFile,
): Promise<Buffer> {
  const absolute = path.join(folder, ...file.path.split('/'));
  const stats = await lstat(absolute).catch((error: unknown) => {
    throw new BundleInvalidError(
      `Listed file "${file.path}" is missing from the bundle.`,
      {
        cause: error,
      },
    );
  });
  if (!stats.isFile()) {
    throw new BundleInvalidError(`Listed file "${file.path}" is not a regular file.`);
  }

  const handle = await open(absolute, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  try {
    const opened = await handle.stat();
    if (opened.size !== file.bytes) {
      throw new BundleTamperedError(
        `"${file.path}" is ${opened.size} bytes; the manifest records ${file.bytes}. ` +
          'The bundle was altered or is incomplete: reinstall it from a trusted copy.',
      );
    }
    return await hashWhileReading(handle, file);
  } finally {
    await handle.close();
  }
}

async function hashWhileReading(
  handle: Awaited<ReturnType<typeof open>>,
  file: ListedFile,
): Promise<Buffer> {
  const buffer = Buffer.alloc(file.bytes);
  const hash = createHash('sha256');
  let offset = 0;

  while (offset < file.bytes) {
    const length = Math.min(READ_CHUNK_BYTES, file.bytes - offset);
    const { bytesRead } = await handle.read(buffer, offset, length, offset);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(offset, offset + bytesRead));
    offset += bytesRead;
  }

  const extra = await handle.read(Buffer.alloc(1), 0, 1, offset);
  const digest = hash.digest('hex');
  if (offset !== file.bytes || extra.bytesRead !== 0 || digest !== file.sha256) {
    throw new BundleTamperedError(
      `"${file.path}" does not match its sha256 in the manifest. ` +
        'The bundle was altered: reinstall it from a trusted copy.',
    );
  }
  return buffer;
}
