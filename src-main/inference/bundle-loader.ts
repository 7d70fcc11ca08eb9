/**
 * Loads a model bundle folder (models/BUNDLE_FORMAT.md): validates the manifest,
 * refuses unsafe or unlisted entries, verifies every listed file's size and sha256
 * while reading it into memory, and returns the verified bytes. Sessions are created
 * from those bytes only, so a file swapped on disk after the check is never run.
 */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import {
  BundleCalibrationSchema,
  BundleManifestSchema,
  type BundleCalibration,
  type BundleGraph,
  type BundleManifest,
} from '../../src-shared/bundle-manifest';
import { createLogger } from '../logging/logger';
import { BundleInvalidError } from './bundle-errors';
import {
  assertNoUnlistedEntries,
  assertSafeRelativePath,
  listBundleEntries,
  readVerifiedFile,
} from './bundle-files';
import { assertManifestConsistent } from './manifest-consistency';
import { findExternalDataLocations } from './onnx-external-data';

const log = createLogger('inference');

export const MANIFEST_FILE = 'manifest.json';
export const CALIBRATION_FILE = 'calibration.json';

/** A bundle whose files were all verified; graph bytes are the verified copies. */
export interface LoadedBundle {
  manifest: BundleManifest;
  calibration: BundleCalibration;
  /** Verified ONNX bytes per graph role (`model`, or `backbone` and `heads`). */
  graphBytes: Map<BundleGraph['role'], Uint8Array>;
}

/** Loads and verifies the bundle in `folder`; throws BUNDLE_INVALID or BUNDLE_TAMPERED. */
export async function loadBundle(folder: string): Promise<LoadedBundle> {
  const startedMs = performance.now();
  const manifest = await readManifest(folder);
  assertManifestConsistent(manifest);
  manifest.files.forEach((file, i) =>
    assertSafeRelativePath(file.path, `files[${i}].path`),
  );

  const entries = await listBundleEntries(folder);
  assertNoUnlistedEntries(entries, allowedEntries(manifest));

  const verified = new Map<string, Buffer>();
  for (const file of manifest.files) {
    verified.set(file.path, await readVerifiedFile(folder, file));
  }

  const graphBytes = collectGraphBytes(manifest, verified);
  const calibration = parseCalibration(verified.get(CALIBRATION_FILE));
  log.info('bundle.loaded', {
    bundleId: manifest.id,
    bundleVersion: manifest.version,
    files: manifest.files.length,
    durationMs: Math.round(performance.now() - startedMs),
  });
  return { manifest, calibration, graphBytes };
}

async function readManifest(folder: string): Promise<BundleManifest> {
  const manifestPath = path.join(folder, MANIFEST_FILE);
  const folderStats = await lstat(folder).catch(() => null);
  if (!folderStats?.isDirectory()) {
    throw new BundleInvalidError(
      folderStats
        ? 'The bundle path is not a folder; give the folder that holds manifest.json.'
        : 'The bundle folder does not exist; check the path given for the bundle.',
    );
  }
  const text = await lstat(manifestPath)
    .then((stats) => {
      if (!stats.isFile())
        throw new BundleInvalidError(`${MANIFEST_FILE} is not a regular file.`);
      return readFile(manifestPath, 'utf8');
    })
    .catch((error: unknown) => {
      if (error instanceof BundleInvalidError) throw error;
      throw new BundleInvalidError(
        `No readable ${MANIFEST_FILE} in the bundle folder; choose the folder that holds it.`,
        { cause: error },
      );
    });
  return parseWithSchema(
    BundleManifestSchema,
    parseJson(text, MANIFEST_FILE),
    MANIFEST_FILE,
  );
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BundleInvalidError(`${fileName} is not valid JSON.`, { cause: error });
  }
}

/** Parses with a zod schema; the error names each bad field by its path. */
export function parseWithSchema<T extends z.ZodType>(
  schema: T,
  value: unknown,
  fileName: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new BundleInvalidError(`${fileName} is invalid: ${problems.join('; ')}.`);
}

function allowedEntries(manifest: BundleManifest): Set<string> {
  const allowed = new Set<string>([MANIFEST_FILE]);
  for (const file of manifest.files) {
    allowed.add(file.path);
    const segments = file.path.split('/');
    for (let i = 1; i < segments.length; i += 1) {
      allowed.add(`${segments.slice(0, i).join('/')}/`);
    }
  }
  return allowed;
}

function collectGraphBytes(
  manifest: BundleManifest,
  verified: Map<string, Buffer>,
): Map<BundleGraph['role'], Uint8Array> {
  const graphBytes = new Map<BundleGraph['role'], Uint8Array>();
  for (const graph of manifest.graphs) {
    const bytes = verified.get(graph.file);
    if (!bytes)
      throw new BundleInvalidError(`graphs: "${graph.file}" is not listed in files.`);

    const external = findExternalDataLocations(bytes);
    if (external.length > 0) {
      // TODO: external-data weights are refused because ONNX Runtime for Node reads them from disk after the hash check - models over 2 GB (the full backbone in float32) must be exported with weights embedded or quantised.
      throw new BundleInvalidError(
        `"${graph.file}" stores weights in external files (${external.join(', ')}); ` +
          'bundles must embed all weights in the .onnx file.',
      );
    }
    graphBytes.set(graph.role, bytes);
  }
  return graphBytes;
}

function parseCalibration(bytes: Buffer | undefined): BundleCalibration {
  if (!bytes) {
    throw new BundleInvalidError(
      `files: ${CALIBRATION_FILE} must be listed in the manifest.`,
    );
  }
  const value = parseJson(bytes.toString('utf8'), CALIBRATION_FILE);
  return parseWithSchema(BundleCalibrationSchema, value, CALIBRATION_FILE);
}
