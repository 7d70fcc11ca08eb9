/**
 * Chooses ONNX Runtime execution providers. A provider whose native library is
 * missing or broken can abort the whole process while a session is created, so each
 * non-CPU provider is first tried in a short-lived child process on a tiny model;
 * only providers that pass are used, and CPU always closes the list.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../logging/logger';
import { buildProbeModel } from './probe-model';

const log = createLogger('inference');

/** Providers the settings may name, in the app's order of preference. */
export const EXECUTION_PROVIDERS = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export type ExecutionProviderName = (typeof EXECUTION_PROVIDERS)[number];

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

/** Tries `provider` in a child process; never throws and never crashes the caller. */
export async function probeExecutionProvider(
  provider: ExecutionProviderName,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProviderProbe> {
  const ortUrl = pathToFileURL(
    createRequire(import.meta.url).resolve('onnxruntime-node'),
  ).href;
  const modelBase64 = Buffer.from(buildProbeModel()).toString('base64');
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', CHILD_SCRIPT, ortUrl, provider, modelBase64],
    {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
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
  const line = stderr
    .split('\n')
    .map((text) => stripAnsiColours(text).trim())
    .find((text) => /error|fail/i.test(text));
  const how = exit.signal ? `stopped by ${exit.signal}` : `exited with ${exit.code}`;
  return `${how}${line ? `: ${line.slice(0, 300)}` : ''}`;
}

/**
 * The providers to use, in the order given: each non-CPU provider that passes its
 * probe, then `cpu`. An unavailable provider is logged as a warning (the app falls
 * back to CPU, slower but correct).
 */
export async function resolveExecutionProviders(
  preferred: readonly ExecutionProviderName[],
): Promise<ExecutionProviderName[]> {
  const usable: ExecutionProviderName[] = [];
  for (const provider of preferred) {
    if (provider === 'cpu' || usable.includes(provider)) continue;
    const probe = await probeExecutionProvider(provider);
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
