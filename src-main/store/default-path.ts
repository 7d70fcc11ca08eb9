import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';

const APP_FOLDER = 'cellvit-optimus';
const FILE_NAME = 'results.db';

/**
 * Where the workstation's results database lives: `CELLVIT_DB` when set, else the
 * platform's per-user application-data folder (`$XDG_DATA_HOME` or
 * `~/.local/share` on Linux, `~/Library/Application Support` on macOS,
 * `%APPDATA%` on Windows) under `cellvit-optimus/results.db`.
 */
export function defaultDatabasePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CELLVIT_DB !== undefined) {
    // Set but empty is a mistake (an unset variable expanded), not a request for
    // the default: refuse it rather than write somewhere unexpected.
    if (env.CELLVIT_DB.trim() === '') {
      throw new AppError(
        'INVALID_OPTION',
        'CELLVIT_DB is set but empty; unset it to use the workstation database, or give a path.',
      );
    }
    return path.resolve(env.CELLVIT_DB);
  }
  return path.join(appDataFolder(env, platform), APP_FOLDER, FILE_NAME);
}

function appDataFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  return env.XDG_DATA_HOME || path.join(home, '.local', 'share');
}
