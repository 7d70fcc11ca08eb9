/**
 * Cross-field checks of a schema-valid manifest: the graphs match the declared
 * stages, every output meaning points at a declared tensor, and class counts agree
 * with the `nt` channels.
 */
import type { BundleManifest, TensorSpec } from '../../src-shared/bundle-manifest';
import { BundleInvalidError } from './bundle-errors';

const ROLES_BY_STAGES = {
  single: ['model'],
  'two-stage': ['backbone', 'heads'],
} as const;

/** Throws BUNDLE_INVALID naming the first inconsistent field. */
export function assertManifestConsistent(manifest: BundleManifest): void {
  assertGraphRoles(manifest);
  assertOutputsDeclared(manifest);
  assertImageInput(manifest);
  assertClassChannels(manifest);
}

function assertGraphRoles(manifest: BundleManifest): void {
  const roles = manifest.graphs.map((graph) => graph.role).sort();
  const expected = [...ROLES_BY_STAGES[manifest.stages]].sort();
  if (roles.join(',') !== expected.join(',')) {
    throw new BundleInvalidError(
      `graphs: a "${manifest.stages}" bundle needs graphs with roles ${expected.join(' and ')}; ` +
        `found ${roles.join(', ') || 'none'}.`,
    );
  }

  const listed = new Set(manifest.files.map((file) => file.path));
  for (const graph of manifest.graphs) {
    if (!listed.has(graph.file)) {
      throw new BundleInvalidError(
        `graphs.${graph.role}.file: "${graph.file}" is not listed in files.`,
      );
    }
  }
}

function assertOutputsDeclared(manifest: BundleManifest): void {
  for (const meaning of ['np', 'hv', 'embedding'] as const) {
    if (!manifest.outputs[meaning]) {
      throw new BundleInvalidError(`outputs.${meaning} is required.`);
    }
  }
  if (manifest.stages === 'two-stage' && !manifest.outputs.tokens) {
    throw new BundleInvalidError('outputs.tokens is required for a two-stage bundle.');
  }

  for (const [meaning, ref] of Object.entries(manifest.outputs)) {
    const graph = manifest.graphs.find((g) => g.role === ref.graph);
    if (!graph?.outputs.some((output) => output.name === ref.name)) {
      throw new BundleInvalidError(
        `outputs.${meaning}: graph "${ref.graph}" declares no output named "${ref.name}".`,
      );
    }
  }
}

function assertImageInput(manifest: BundleManifest): void {
  const imageGraph = manifest.graphs.find((g) => g.role !== 'heads');
  const input = imageGraph?.inputs[0];
  const size = manifest.input.tileSizePx;
  const isImage =
    imageGraph?.inputs.length === 1 &&
    input?.shape.length === 4 &&
    input.shape[1] === 3 &&
    input.shape[2] === size &&
    input.shape[3] === size;
  if (!isImage) {
    throw new BundleInvalidError(
      `graphs.${imageGraph?.role ?? 'model'}.inputs: expected one image input [batch, 3, ${size}, ${size}].`,
    );
  }
}

function assertClassChannels(manifest: BundleManifest): void {
  const indices = manifest.nucleusClasses.map((c) => c.index).sort((a, b) => a - b);
  if (indices.some((index, i) => index !== i + 1)) {
    throw new BundleInvalidError(
      'nucleusClasses: indices must run 1, 2, ... without gaps.',
    );
  }

  const nt = manifest.outputs.nt;
  if (!nt) return;
  const spec = findTensor(manifest, nt.graph, nt.name);
  const channels = spec?.shape[1];
  if (typeof channels === 'number' && channels !== indices.length + 1) {
    throw new BundleInvalidError(
      `nucleusClasses: ${indices.length} classes need ${indices.length + 1} nt channels; ` +
        `the graph declares ${channels}.`,
    );
  }
}

/** The declared spec of a graph's output tensor, or `undefined`. */
export function findTensor(
  manifest: BundleManifest,
  role: string,
  name: string,
): TensorSpec | undefined {
  return manifest.graphs
    .find((g) => g.role === role)
    ?.outputs.find((o) => o.name === name);
}
