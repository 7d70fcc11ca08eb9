import os from 'node:os';
import path from 'node:path';

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
  if (env.CELLVIT_DB) return path.resolve(env.CELLVIT_DB);
  return path.join(appDataFolder(env, platform), APP_FOLDER, FILE_NAME);
}

function appDataFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  return env.XDG_DATA_HOME || path.join(home, '.local', 'share');
}
