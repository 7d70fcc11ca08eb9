/**
 * Builds the app into dist/: the Electron main process, the sandboxed preload, the
 * analysis worker (and its tile-finishing thread) and the loopback demo with esbuild,
 * the renderer with vite.
 *
 *   node scripts/build.mjs            everything
 *   node scripts/build.mjs --main     main, preload, worker and demo only
 */
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isMainOnly = process.argv.includes('--main');

const nodeEntries = {
  'electron/main': 'src-main/electron/main.ts',
  'analysis-worker': 'src-main/ipc/analysis-worker.ts',
  // Beside the analysis worker, which starts it on worker threads to finish tiles.
  'tile-finishing-worker': 'src-main/analysis/tile-finishing-worker.ts',
  'server/demo': 'src-main/server/demo.ts',
};

async function buildNodeEntries() {
  await esbuild({
    absWorkingDir: root,
    entryPoints: nodeEntries,
    outdir: 'dist/main',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Dependencies stay in node_modules (native modules cannot be bundled);
    // electron-builder packs them, unpacking the native ones from the ASAR.
    packages: 'external',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
}

async function buildPreload() {
  // A sandboxed preload cannot import modules: one CommonJS file, electron external.
  await esbuild({
    absWorkingDir: root,
    entryPoints: { preload: 'src-main/electron/preload.ts' },
    outdir: 'dist/main/electron',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
}

/**
 * The WebAssembly pixel converter is read at run time from dist/main/argb-wasm/,
 * one folder up from the bundles in dist/main/electron/ and beside those in
 * dist/main/; fs reads it from inside the ASAR like any other file.
 */
async function copyArgbWasm() {
  const folder = path.join(root, 'dist/main/argb-wasm');
  await mkdir(folder, { recursive: true });
  await copyFile(
    path.join(root, 'src-main/slides/openslide/argb-wasm/argb.wasm'),
    path.join(folder, 'argb.wasm'),
  );
}

await buildNodeEntries();
await buildPreload();
await copyArgbWasm();
if (!isMainOnly) {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
process.stdout.write(`built ${isMainOnly ? 'main' : 'main and renderer'} into dist/\n`);
