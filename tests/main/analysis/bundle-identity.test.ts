import { expect, it } from 'vitest';
import { bundleIdentity } from '../../../src-main/analysis/analysis-plan';
import { defaultBundlePath } from '../../../src-main/analysis/default-bundle';
import { loadBundle } from '../../../src-main/inference/bundle-loader';

it('gives a bundle whose manifest was edited another identity, files unchanged', async () => {
  const { manifest } = await loadBundle(defaultBundlePath());
  const same = bundleIdentity(structuredClone(manifest));
  expect(same).toEqual(bundleIdentity(manifest));

  const input = manifest.input;
  const edits = [
    { ...manifest, version: '9.9.9' },
    { ...manifest, input: { ...input, targetMpp: input.targetMpp * 2 } },
    {
      ...manifest,
      input: {
        ...input,
        normalisation: {
          ...input.normalisation,
          mean: [0.1, 0.1, 0.1] as [number, number, number],
        },
      },
    },
    {
      ...manifest,
      postprocessing: { ...manifest.postprocessing, npThreshold: 0.4 },
    },
  ];
  for (const edited of edits) {
    expect(bundleIdentity(edited).sha256).not.toBe(same.sha256);
  }
});
