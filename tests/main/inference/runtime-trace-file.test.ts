import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultBundlePath } from '../../../src-main/analysis/default-bundle';
import { loadBundle } from '../../../src-main/inference/bundle-loader';
import { NucleiEngine } from '../../../src-main/inference/engine';
import {
  removeRuntimeTraceFile,
  runtimeTraceFilePath,
} from '../../../src-main/inference/runtime-trace-file';

/** A process id no live process of this test can have, so no real file is touched. */
const UNUSED_PID = 2 ** 22 + 12_345;

describe.runIf(process.platform === 'linux')('removeRuntimeTraceFile', () => {
  it("leaves no ONNX Runtime trace file behind once this process's engine exists", async () => {
    const engine = await NucleiEngine.create(await loadBundle(defaultBundlePath()), {
      intraOpNumThreads: 1,
    });

    expect(existsSync(runtimeTraceFilePath(process.pid))).toBe(false);
    await engine.release();
  });

  it('keeps a trace file that is not empty', () => {
    const file = runtimeTraceFilePath(UNUSED_PID);
    writeFileSync(file, 'written by someone');

    removeRuntimeTraceFile(UNUSED_PID);

    expect(existsSync(file)).toBe(true);
    rmSync(file);
  });

  it('removes an empty trace file of the process named', () => {
    const file = runtimeTraceFilePath(UNUSED_PID);
    writeFileSync(file, '');

    removeRuntimeTraceFile(UNUSED_PID);

    expect(existsSync(file)).toBe(false);
  });
});
