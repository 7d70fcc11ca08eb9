import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { APP_VERSION } from '../../src-main/app-version';

it('records the app version that package.json (and so Electron) states', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    version: string;
  };
  expect(APP_VERSION).toBe(manifest.version);
});
