import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const config = yaml.load(
  readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'),
) as {
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
  files: string[];
  publish: unknown;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};

describe('electron-builder.yml', () => {
  it('turns off running the binary as plain Node', () => {
    expect(config.electronFuses.runAsNode).toBe(false);
  });

  it('validates the ASAR integrity and loads the app only from it', () => {
    expect(config.electronFuses.enableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(config.electronFuses.onlyLoadAppFromAsar).toBe(true);
  });

  it('ignores NODE_OPTIONS and the inspector flags', () => {
    expect(config.electronFuses.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(config.electronFuses.enableNodeCliInspectArguments).toBe(false);
  });

  it('unpacks every native module from the ASAR', () => {
    expect(config.asar).toBe(true);
    for (const name of ['better-sqlite3', 'onnxruntime-node', 'sharp', 'koffi']) {
      expect(config.asarUnpack, name).toContain(`node_modules/${name}/**`);
    }
  });

  it('ships the default model bundle and OpenSlide libraries outside the ASAR', () => {
    const sources = config.extraResources.map((entry) => entry.from);
    expect(sources).toContain('models/cellvit-optimus-default');
    expect(sources.some((from) => from.startsWith('vendor/openslide'))).toBe(true);
  });

  it('packs only built output, never sources or data', () => {
    expect(config.files.filter((entry) => !entry.startsWith('!'))).toEqual([
      'dist/main/**',
      'dist/renderer/**',
      'package.json',
    ]);
  });

  it('builds installers for Linux, Windows and macOS without any update feed', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.publish).toBeNull();
  });
});
