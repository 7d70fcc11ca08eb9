import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithData, sharedSlide } from '../../../support/shared-data';

const PROBE = fileURLToPath(new URL('./support/page-fault-probe.ts', import.meta.url));

/** Minor page faults per read in a fresh process, so this one's allocator is untouched. */
function probe(mode: 'tuned' | 'untuned'): { isTuned: boolean; faultsPerRead: number } {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', PROBE, sharedSlide('CMU-1-Small-Region.svs'), mode],
    { encoding: 'utf8' },
  );
  return JSON.parse(output) as { isTuned: boolean; faultsPerRead: number };
}

const isLinuxGlibc =
  process.platform === 'linux' &&
  typeof (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })
    ?.header?.glibcVersionRuntime === 'string';

describeWithData('keepTileBuffersOnHeap', () => {
  it.runIf(isLinuxGlibc)(
    'cuts the page faults of random region reads at least fourfold on glibc',
    () => {
      const untuned = probe('untuned');
      const tuned = probe('tuned');

      expect(tuned.isTuned).toBe(true);
      expect(tuned.faultsPerRead).toBeLessThan(untuned.faultsPerRead / 4);
    },
  );

  it.skipIf(isLinuxGlibc)('reports false where the C library is not glibc', () => {
    expect(probe('tuned').isTuned).toBe(false);
  });
});
