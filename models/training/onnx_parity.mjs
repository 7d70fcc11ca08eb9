// Runs an exported graph in ONNX Runtime (the runtime the app uses) on an input
// saved by export_onnx.py and prints the largest absolute difference from the
// torch outputs, plus the mean single-thread time per tile.
// Usage: node onnx_parity.mjs <model.onnx> <folder with input.bin, <name>.bin, shapes.json>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.resolve('package.json'));
// As in the app (src-main/inference/runtime-telemetry.ts): ONNX Runtime keeps no
// device identifier or event queue and uploads nothing.
process.env.ORT_DISABLE_TELEMETRY = '1';
const ort = require('onnxruntime-node');

const [modelPath, folder] = process.argv.slice(2);
const shapes = JSON.parse(fs.readFileSync(path.join(folder, 'shapes.json'), 'utf8'));

function readFloats(name) {
  const bytes = fs.readFileSync(path.join(folder, `${name}.bin`));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

const session = await ort.InferenceSession.create(modelPath, {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
});
const image = new ort.Tensor('float32', readFloats('input'), shapes.input);
const outputs = await session.run({ image });

const maxAbsDiff = {};
for (const name of shapes.outputs) {
  const expected = readFloats(name);
  const actual = outputs[name].data;
  let worst = 0;
  for (let i = 0; i < expected.length; i += 1)
    worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
  maxAbsDiff[name] = worst;
}

const single = new ort.Tensor(
  'float32',
  readFloats('input').slice(0, 3 * 256 * 256),
  [1, 3, 256, 256],
);
for (let i = 0; i < 3; i += 1) await session.run({ image: single });
const repeats = 20;
const started = performance.now();
for (let i = 0; i < repeats; i += 1) await session.run({ image: single });
const msPerTile = (performance.now() - started) / repeats;

process.stdout.write(JSON.stringify({ maxAbsDiff, msPerTile }) + '\n');
