/** The public data folder the benchmarks read: `CELLVIT_SHARED_DATA`, else `../shared/data`. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA_DIR =
  process.env.CELLVIT_SHARED_DATA ??
  path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'shared',
    'data',
  );
