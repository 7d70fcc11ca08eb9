/**
 * Run as a child process: creates the app's inference engine on the embedded
 * default bundle (or, with `bare`, a plain ONNX Runtime session without the app's
 * modules), waits for the runtime's background threads, and prints its process id.
 *
 *   node --import tsx create-engine.ts app|bare
 */
import { defaultBundlePath } from '../../../../src-main/analysis/default-bundle';

async function runApp(): Promise<void> {
  const { loadBundle } = await import('../../../../src-main/inference/bundle-loader');
  const { NucleiEngine } = await import('../../../../src-main/inference/engine');
  const engine = await NucleiEngine.create(await loadBundle(defaultBundlePath()), {
    intraOpNumThreads: 1,
  });
  await engine.release();
}

async function runBare(): Promise<void> {
  const { InferenceSession } = await import('onnxruntime-node');
  const session = await InferenceSession.create(`${defaultBundlePath()}/model.onnx`);
  await session.release();
}

/** Long enough for the runtime's background threads to write whatever they write. */
const SETTLE_MS = 2000;

await (process.argv[2] === 'bare' ? runBare() : runApp());
await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
process.stdout.write(String(process.pid));
