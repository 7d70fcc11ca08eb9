import { appendFile, mkdir, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../../src-main/inference/bundle-loader';
import { editManifest, makeTestBundle } from '../../fixtures/test-bundles';

type FileEntry = { path: string; sha256: string; bytes: number };
type Graph = { outputs: { name: string; shape: (number | string)[] }[] };

async function expectCode(
  promise: Promise<unknown>,
  code: string,
  text: RegExp,
): Promise<void> {
  await expect(promise).rejects.toMatchObject({
    code,
    message: expect.stringMatching(text),
  });
}

describe('loadBundle', () => {
  it('returns the verified graph bytes and calibration of a valid bundle', async () => {
    const folder = await makeTestBundle();

    const bundle = await loadBundle(folder);

    expect(bundle.manifest.id).toBe('test-single');
    expect(bundle.graphBytes.get('model')?.length).toBeGreaterThan(100);
    expect(bundle.calibration.temperature.np).toBe(1);
  });

  it('reports BUNDLE_TAMPERED when a file changed after its hash was recorded', async () => {
    const folder = await makeTestBundle();
    const modelBytes = await import('node:fs/promises').then((fs) =>
      fs.readFile(path.join(folder, 'model.onnx')),
    );
    const last = modelBytes.length - 1;
    modelBytes[last] = (modelBytes[last] as number) ^ 0xff;
    await writeFile(path.join(folder, 'model.onnx'), modelBytes);

    await expectCode(loadBundle(folder), 'BUNDLE_TAMPERED', /model\.onnx.*sha256/);
  });

  it('reports BUNDLE_TAMPERED before hashing when the size differs', async () => {
    const folder = await makeTestBundle();
    await appendFile(path.join(folder, 'MODEL_CARD.md'), 'extra');

    await expectCode(loadBundle(folder), 'BUNDLE_TAMPERED', /MODEL_CARD\.md.*bytes/);
  });

  it('says so when the bundle folder does not exist or is a file', async () => {
    const folder = await makeTestBundle();
    await expectCode(
      loadBundle(path.join(folder, 'no-such-bundle')),
      'BUNDLE_INVALID',
      /bundle folder does not exist/,
    );
    await expectCode(
      loadBundle(path.join(folder, 'manifest.json')),
      'BUNDLE_INVALID',
      /not a folder/,
    );
  });

  it('refuses a file in the folder that the manifest does not list', async () => {
    const folder = await makeTestBundle();
    await writeFile(path.join(folder, 'notes.txt'), 'hello');

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /notes\.txt/);
  });

  it('refuses an unlisted directory even when it is empty', async () => {
    const folder = await makeTestBundle();
    await mkdir(path.join(folder, 'extra'));

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /extra\//);
  });

  it('refuses a listed file that is a symbolic link', async () => {
    const folder = await makeTestBundle();
    await unlink(path.join(folder, 'MODEL_CARD.md'));
    await symlink('/etc/hostname', path.join(folder, 'MODEL_CARD.md'));

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /symbolic link/);
  });

  it('refuses a listed path that climbs out of the folder', async () => {
    const folder = await makeTestBundle();
    await editManifest(folder, (manifest) => {
      (manifest.files as FileEntry[])[0]!.path = '../outside.onnx';
    });

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /files\[0\]\.path.*\.\./);
  });

  it('refuses an absolute listed path', async () => {
    const folder = await makeTestBundle();
    await editManifest(folder, (manifest) => {
      (manifest.files as FileEntry[])[0]!.path = '/etc/passwd';
    });

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /absolute/);
  });

  it('refuses a listed file that is missing', async () => {
    const folder = await makeTestBundle();
    await unlink(path.join(folder, 'MODEL_CARD.md'));

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /MODEL_CARD\.md.*missing/);
  });

  it('names the bad field when the manifest breaks the schema', async () => {
    const folder = await makeTestBundle();
    await editManifest(folder, (manifest) => {
      (manifest.input as Record<string, unknown>).tileSizePx = 'large';
    });

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /input\.tileSizePx/);
  });

  it('refuses an even gradient kernel in the post-processing settings', async () => {
    const folder = await makeTestBundle();
    await editManifest(folder, (manifest) => {
      (manifest.postprocessing as Record<string, unknown>).gradientKernelPx = 12;
    });

    await expectCode(
      loadBundle(folder),
      'BUNDLE_INVALID',
      /postprocessing\.gradientKernelPx/,
    );
  });

  it('accepts post-processing kernels and a slope range for another scale', async () => {
    const folder = await makeTestBundle();
    const coarse = {
      gradientKernelPx: 11,
      slopeRangePerPx: { min: -0.1, max: 0.12 },
      markerOpeningPx: 3,
    };
    await editManifest(folder, (manifest) => {
      Object.assign(manifest.postprocessing as Record<string, unknown>, coarse);
    });

    const { manifest } = await loadBundle(folder);

    expect(manifest.postprocessing).toMatchObject(coarse);
  });

  it('refuses an nt output whose channels disagree with the listed classes', async () => {
    const folder = await makeTestBundle();
    await editManifest(folder, (manifest) => {
      (manifest.nucleusClasses as unknown[]).pop();
    });

    await expectCode(
      loadBundle(folder),
      'BUNDLE_INVALID',
      /3 classes need 4 nt channels/,
    );
  });

  it('refuses an output meaning that points at an undeclared tensor', async () => {
    const folder = await makeTestBundle();
    await editManifest(folder, (manifest) => {
      const graphs = manifest.graphs as Graph[];
      graphs[0]!.outputs = graphs[0]!.outputs.filter((output) => output.name !== 'hv');
    });

    await expectCode(loadBundle(folder), 'BUNDLE_INVALID', /outputs\.hv/);
  });

  it('refuses a model whose weights live in an external data file', async () => {
    const folder = await makeTestBundle({ hasExternalData: true });

    await expectCode(
      loadBundle(folder),
      'BUNDLE_INVALID',
      /external files \(weights\.bin\)/,
    );
  });

  it('refuses a calibration file that breaks its schema, naming the field', async () => {
    const folder = await makeTestBundle();
    const calibrationPath = path.join(folder, 'calibration.json');
    const text = JSON.stringify({ temperature: { np: -1, nt: null, organ: null } });
    await writeFile(calibrationPath, text);
    const { createHash } = await import('node:crypto');
    await editManifest(folder, (manifest) => {
      const entry = (manifest.files as FileEntry[]).find(
        (f) => f.path === 'calibration.json',
      )!;
      entry.sha256 = createHash('sha256').update(text).digest('hex');
      entry.bytes = Buffer.byteLength(text);
    });

    await expectCode(
      loadBundle(folder),
      'BUNDLE_INVALID',
      /calibration\.json.*temperature\.np/,
    );
  });
});
