/**
 * The user's settings, kept as a small JSON file beside the database and written
 * atomically (temp file, then rename) so a crash never leaves half a file. A file
 * that fails validation is set aside and the defaults are used, with a warning: the
 * defaults are the safe choice (label and macro images hidden).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../../src-shared/errors';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Settings,
} from '../../src-shared/ipc-schemas';
import { createLogger } from '../logging/logger';

const log = createLogger('settings');

function readSettingsFile(filePath: string): Settings {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { ...DEFAULT_SETTINGS };
    throw new AppError('STORE_FAILED', 'The settings file cannot be read.', {
      cause: error,
    });
  }

  const parsed = SettingsSchema.partial().safeParse(safeJson(text));
  if (!parsed.success) {
    log.warn('settings.file.invalid', {
      remedy: 'defaults used; the file was set aside',
    });
    renameSync(filePath, `${filePath}.invalid-${Date.now()}`);
    return { ...DEFAULT_SETTINGS };
  }
  return { ...DEFAULT_SETTINGS, ...parsed.data };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Treated like any invalid content: the caller falls back to the defaults.
    return { invalidJson: (error as Error).name };
  }
}

/** Settings held in memory and persisted on every change. */
export class SettingsStore {
  readonly #filePath: string | null;
  #settings: Settings;

  /** `filePath` `null` keeps settings in memory only (tests, throwaway demos). */
  constructor(filePath: string | null) {
    this.#filePath = filePath;
    this.#settings = filePath ? readSettingsFile(filePath) : { ...DEFAULT_SETTINGS };
  }

  /** A copy of the current settings. */
  get(): Settings {
    return structuredClone(this.#settings);
  }

  /** Applies a validated partial change, persists it and returns all settings. */
  update(change: Partial<Settings>): Settings {
    const next = SettingsSchema.parse({ ...this.#settings, ...change });
    if (this.#filePath) {
      const temporary = `${this.#filePath}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, this.#filePath);
    }
    this.#settings = next;
    return this.get();
  }
}
