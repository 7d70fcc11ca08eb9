/**
 * Chooses ONNX Runtime execution providers. Each non-CPU provider is first tried on a
 * tiny model; only providers that pass are used, and CPU always closes the list.
 *
 * Where the probe runs depends on the host. A provider whose native library is
 * missing or broken can abort the process that creates a session, so under plain
 * Node (the CLI, tests, the loopback server's forked worker) the probe runs in a
 * short-lived child `node` process. Inside Electron that is impossible: the analysis
 * runs in a utility process, `utilityProcess.fork` exists only in the main process,
 * and `child_process` can only start the Electron binary, which the `runAsNode: false`
 * fuse (electron-builder.yml) keeps from acting as Node (it would start a second
 * app). There the probe creates a throwaway session in the utility process itself:
 * that process is already a disposable child of the app, so the worst case ends one
 * analysis, never the app.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import './runtime-telemetry';
import ort from 'onnxruntime-node';
import { createLogger } from '../logging/logger';
import { buildProbeModel } from './probe-model';

const log = createLogger('inference');

/** Providers the settings may name, in the app's order of preference. */
export const EXECUTION_PROVIDERS = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export type ExecutionProviderName = (typeof EXECUTION_PROVIDERS)[number];

/** Whether `name` is one of {@link EXECUTION_PROVIDERS}. */
export function isExecutionProviderName(name: string): name is ExecutionProviderName {
  return (EXECUTION_PROVIDERS as readonly string[]).includes(name);
}

/**
 * Where a probe creates its session: `child-process` in a child `node` process,
 * `in-process` in the calling process (see the module comment for when each applies).
 */
export type ProbeIsolation = 'child-process' | 'in-process';

/** How probes are run by default: in-process under Electron, else in a child process. */
export function defaultProbeIsolation(
  versions: NodeJS.ProcessVersions = process.versions,
): ProbeIsolation {
  return versions.electron === undefined ? 'child-process' : 'in-process';
}

/** How to probe: where, and how long a child process may take. */
export interface ProbeOptions {
  /** Defaults to {@link defaultProbeIsolation}. */
  isolation?: ProbeIsolation;
  /** Limit of a child-process probe, ms; the child is killed past it. */
  timeoutMs?: number;
}

/** What probing one provider found. */
export interface ProviderProbe {
  provider: ExecutionProviderName;
  isAvailable: boolean;
  /** Why it is unavailable (first line of the child's error), or `null`. */
  reason: string | null;
}

const PROBE_TIMEOUT_MS = 30_000;

const CHILD_SCRIPT = `
const [ortUrl, provider, modelBase64] = process.argv.slice(1);
const ort = (await import(ortUrl)).default;
const session = await ort.InferenceSession.create(Buffer.from(modelBase64, 'base64'), {
  executionProviders: [{ name: provider }],
});
const x = new ort.Tensor('float32', Float32Array.from([-1, 0, 1, 2]), [4]);
const { y } = await session.run({ x });
if (y.data[3] !== 2) throw new Error('probe model returned a wrong value');
process.stdout.write('ok');
`;

/**
 * Tries `provider` on the probe model; never throws. In a child process it never
 * crashes the caller either; in-process it relies on the provider failing with an
 * error rather than aborting.
 */
export async function probeExecutionProvider(
  provider: ExecutionProviderName,
  options: ProbeOptions = {},
): Promise<ProviderProbe> {
  const isolation = options.isolation ?? defaultProbeIsolation();
  if (isolation === 'in-process') return probeInProcess(provider);
  return probeInChild(provider, options.timeoutMs ?? PROBE_TIMEOUT_MS);
}

// TODO: an in-process probe cannot survive a provider library that aborts the process -
// in the desktop app such a provider ends the analysis instead of falling back to CPU,
// until it is removed from the settings.
async function probeInProcess(provider: ExecutionProviderName): Promise<ProviderProbe> {
  let session: ort.InferenceSession | null = null;
  try {
    session = await ort.InferenceSession.create(buildProbeModel(), {
      executionProviders: [{ name: provider }],
    });
    const x = new ort.Tensor('float32', Float32Array.from([-1, 0, 1, 2]), [4]);
    const { y } = await session.run({ x });
    if (y?.data[3] !== 2) throw new Error('probe model returned a wrong value');
    return { provider, isAvailable: true, reason: null };
  } catch (error) {
    // The failure is the probe's answer: the provider is unusable here, and why.
    const line = String(error instanceof Error ? error.message : error).split('\n')[0];
    return { provider, isAvailable: false, reason: `failed: ${line?.slice(0, 300)}` };
  } finally {
    await session?.release();
  }
}

async function probeInChild(
  provider: ExecutionProviderName,
  timeoutMs: number,
): Promise<ProviderProbe> {
  const ortUrl = pathToFileURL(
    createRequire(import.meta.url).resolve('onnxruntime-node'),
  ).href;
  const modelBase64 = Buffer.from(buildProbeModel()).toString('base64');
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', CHILD_SCRIPT, ortUrl, provider, modelBase64],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );

  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);

  const exit = await new Promise<{ code: number | null; signal: string | null }>(
    (resolve) => {
      child.on('error', () => resolve({ code: null, signal: 'spawn-failed' }));
      child.on('close', (code, signal) => resolve({ code, signal }));
    },
  );
  clearTimeout(timer);

  const isAvailable = exit.code === 0 && stdout === 'ok';
  return {
    provider,
    isAvailable,
    reason: isAvailable ? null : describeFailure(exit, stderr),
  };
}

const ESCAPE = String.fromCharCode(0x1b);
const ANSI_COLOUR = new RegExp(`${ESCAPE}\\[[0-9;]*m`, 'g');

/** Removes terminal colour codes that a child's stderr may carry. */
function stripAnsiColours(text: string): string {
  return text.replace(ANSI_COLOUR, '');
}

function describeFailure(
  exit: { code: number | null; signal: string | null },
  stderr: string,
): string {
  const how = exit.signal ? `stopped by ${exit.signal}` : `exited with ${exit.code}`;
  // The runtime's own line names the library by its full path, which the log redacts.
  if (MISSING_LIBRARY.test(stderr)) return `${how}: ${MISSING_LIBRARY_REASON}`;
  const line = stderr
    .split('\n')
    .map((text) => stripAnsiColours(text).trim())
    .find((text) => /error|fail/i.test(text));
  return `${how}${line ? `: ${line.slice(0, 300)}` : ''}`;
}

/** How ONNX Runtime says a provider's shared library could not be loaded. */
const MISSING_LIBRARY =
  /cannot open shared object file|Failed to load library|LoadLibrary failed/i;
const MISSING_LIBRARY_REASON =
  "the provider's libraries could not be loaded (not installed for this ONNX " +
  'Runtime, or not on the library path)';

/**
 * The providers to use, in the order given: each non-CPU provider that passes its
 * probe, then `cpu`. An unavailable provider is logged as a warning (the app falls
 * back to CPU, slower but correct).
 */
export async function resolveExecutionProviders(
  preferred: readonly ExecutionProviderName[],
  options: ProbeOptions = {},
): Promise<ExecutionProviderName[]> {
  const usable: ExecutionProviderName[] = [];
  for (const provider of preferred) {
    if (provider === 'cpu' || usable.includes(provider)) continue;
    const probe = await probeExecutionProvider(provider, options);
    if (probe.isAvailable) usable.push(provider);
    else
      log.warn('provider.unavailable', {
        provider,
        reason: probe.reason,
        fallback: 'cpu',
      });
  }
  usable.push('cpu');
  log.info('provider.resolved', { providers: usable });
  return usable;
}
