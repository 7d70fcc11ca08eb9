import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main';
import { closeAllSlides } from '../../../src-main/slides/open-slide';
import { describeWithData, sharedSlide } from '../../support/shared-data';

afterAll(() => closeAllSlides());

async function run(
  args: string[],
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { status, stdout, stderr };
}

describe('inspect command errors', () => {
  it('exits non-zero with one stderr line naming the code for a missing slide', async () => {
    const { status, stdout, stderr } = await run(['inspect', '/no/such/slide.svs']);
    expect(status).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^SLIDE_NOT_FOUND: /);
  });

  it('rejects a non-numeric --mpp before opening anything', async () => {
    const { status, stderr } = await run([
      'inspect',
      '/no/such/slide.svs',
      '--mpp',
      'abc',
    ]);
    expect(status).not.toBe(0);
    expect(stderr).toContain('positive number');
  });
});

describeWithData('inspect command on the public slides', () => {
  it('prints calibration, pyramid, tissue and tile grid for CMU-1', async () => {
    const { status, stdout } = await run([
      'inspect',
      sharedSlide('CMU-1-Small-Region.svs'),
    ]);
    const report = JSON.parse(stdout);
    expect(status).toBe(0);
    expect(report.mpp).toEqual({ x: 0.499, y: 0.499, source: 'openslide-property' });
    expect(report.nativeTileSize).toEqual({ widthPx: 240, heightPx: 240 });
    expect(report.tissue.fraction).toBeGreaterThan(0.26);
    expect(report.tileGrid).toMatchObject({
      targetMpp: 0.25,
      tileSizePx: 256,
      overlapPx: 32,
      level: 0,
    });
    expect(report.tileGrid.tissueTiles).toBeLessThan(report.tileGrid.totalTiles);
  });

  it('never prints the file name or folder in the JSON', async () => {
    const { stdout } = await run(['inspect', sharedSlide('CMU-1-Small-Region.svs')]);
    expect(stdout).not.toContain('CMU-1');
    expect(stdout).not.toContain(path.dirname(sharedSlide('x')));
  });

  it('reports a null mpp with a note on --mpp for the uncalibrated TCGA slide', async () => {
    const { stdout } = await run(['inspect', sharedSlide('TCGA-CR-7395-01A-01-TS1.svs')]);
    const report = JSON.parse(stdout);
    expect(report.mpp).toBeNull();
    expect(report.mppNote).toContain('--mpp');
    expect(report.tileGrid.skipped).toContain('--mpp');
  });

  it('uses a user-supplied --mpp and labels its source', async () => {
    const { stdout } = await run([
      'inspect',
      sharedSlide('TCGA-CR-7395-01A-01-TS1.svs'),
      '--mpp',
      '0.5',
      '--target-mpp',
      '0.5',
    ]);
    const report = JSON.parse(stdout);
    expect(report.mpp).toEqual({ x: 0.5, y: 0.5, source: 'user' });
    expect(report.tileGrid.level).toBe(0);
  });

  it('runs through npm run cli and exits 2 on a directory', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(
        'npx',
        ['tsx', 'src-main/cli/main.ts', 'inspect', path.dirname(sharedSlide('x'))],
        {
          env: { ...process.env, CELLVIT_LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/^SLIDE_NOT_A_FILE: /m);
  });
});
