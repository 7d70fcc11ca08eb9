/**
 * Paths that come from the renderer are untrusted: each is resolved, its symbolic
 * links followed, and the result must lie inside one of the allowed roots before any
 * other code touches it. A compromised renderer must not be able to read
 * `/etc/shadow` or another patient's folder by naming it.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';

/** The path lies outside every allowed root (or is not a plain absolute path). */
export class PathOutsideRootError extends AppError {
  constructor(reason: string) {
    super(
      'PATH_OUTSIDE_ROOT',
      `Refused a path ${reason}. Open files from the slide folders this workstation allows ` +
        '(ask the site administrator to add a folder with --slide-root).',
    );
  }
}

/** The path does not exist (after the root check, so nothing leaks about outside). */
export class PathNotFoundError extends AppError {
  constructor() {
    super('SLIDE_NOT_FOUND', 'No file or folder exists at that path; it may have moved.');
  }
}

const isCaseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function comparable(value: string): string {
  return isCaseInsensitive ? value.toLowerCase() : value;
}

/** Whether `candidate` is `root` itself or lies below it (both already resolved). */
export function isInsideRoot(candidate: string, root: string): boolean {
  const relative = path.relative(comparable(root), comparable(candidate));
  if (relative === '') return true;
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function assertPlainAbsolute(candidate: string): void {
  if (candidate.includes('\0'))
    throw new PathOutsideRootError('that contains a NUL byte');
  if (!path.isAbsolute(candidate)) throw new PathOutsideRootError('that is not absolute');
}

async function realOrNull(target: string): Promise<string | null> {
  try {
    return await realpath(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError(
      'SLIDE_PERMISSION_DENIED',
      'The path cannot be read by this user.',
      {
        cause: error,
      },
    );
  }
}

/**
 * Resolves `candidate` (absolute) and returns its real path when it lies inside one
 * of `roots`; throws {@link PathOutsideRootError} otherwise, and
 * {@link PathNotFoundError} for a path inside a root that does not exist.
 */
export async function resolveWithinRoots(
  candidate: string,
  roots: readonly string[],
): Promise<string> {
  assertPlainAbsolute(candidate);
  const lexical = path.resolve(candidate);
  if (!roots.some((root) => isInsideRoot(lexical, path.resolve(root)))) {
    throw new PathOutsideRootError('outside the allowed slide folders');
  }

  const real = await realOrNull(lexical);
  if (real === null) throw new PathNotFoundError();
  const realRoots = await Promise.all(
    roots.map((root) => realOrNull(path.resolve(root))),
  );
  if (!realRoots.some((root) => root !== null && isInsideRoot(real, root))) {
    throw new PathOutsideRootError('whose link points outside the allowed slide folders');
  }
  return real;
}
