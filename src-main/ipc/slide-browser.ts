/**
 * Lists the allowed slide folders for the in-app file browser (the loopback demo has
 * no native dialog). Only folders and files with a slide extension are shown, and a
 * folder outside the roots cannot be listed.
 */
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isInsideRoot, resolveWithinRoots } from './path-roots';

/** Extensions of the slide formats the readers open. */
export const SLIDE_EXTENSIONS = new Set([
  '.svs',
  '.tif',
  '.tiff',
  '.ndpi',
  '.vms',
  '.vmu',
  '.scn',
  '.mrxs',
  '.bif',
  '.dcm',
  '.png',
  '.jpg',
  '.jpeg',
]);

type Entry = { name: string; path: string; kind: 'directory' | 'slide' };

/** Each allowed folder once, by its real path (a folder may be allowed under two names). */
async function listRoots(roots: readonly string[]) {
  const seen = new Set<string>();
  const entries: Entry[] = [];
  for (const root of roots) {
    const real = await realpath(root).catch(() => null);
    if (real === null || seen.has(real)) continue;
    seen.add(real);
    entries.push({ name: real, path: real, kind: 'directory' });
  }
  return { dirPath: null, parentPath: null, entries };
}

/** The folders and slide files of `dirPath`, or the roots when `dirPath` is `null`. */
export async function browseSlideFolders(
  roots: readonly string[],
  dirPath: string | null,
) {
  if (dirPath === null) return listRoots(roots);
  const real = await resolveWithinRoots(dirPath, roots);

  const dirents = await readdir(real, { withFileTypes: true });
  const entries: Entry[] = dirents
    .filter((d) => !d.name.startsWith('.'))
    .filter(
      (d) => d.isDirectory() || SLIDE_EXTENSIONS.has(path.extname(d.name).toLowerCase()),
    )
    .map((d) => ({
      name: d.name,
      path: path.join(real, d.name),
      kind: d.isDirectory() ? ('directory' as const) : ('slide' as const),
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));

  const parent = path.dirname(real);
  const isRoot = roots.some((root) => path.resolve(root) === real);
  const parentPath =
    !isRoot && roots.some((root) => isInsideRoot(parent, root)) ? parent : null;
  return { dirPath: real, parentPath, entries };
}
