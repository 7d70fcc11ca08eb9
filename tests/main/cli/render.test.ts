import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { runCli } from '../../../src-main/cli/main';
import { verdictLine } from '../../../src-main/cli/commands/render';
import { closeAllSlides } from '../../../src-main/slides/open-slide';
import { describeWithData } from '../../support/shared-data';
import {
  CMU1_PATH,
  EPITHELIUM_REGION,
  temporaryFolder,
} from '../analysis/analysis-fixture';

/** Runs the command line with captured output. */
async function cli(argv: string[], more: string[] = []) {
  let stdout = '';
  let stderr = '';
  const status = await runCli([...argv, ...more], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { status, stdout, stderr };
}

describeWithData('render on an analysis of one region', () => {
  const temp = temporaryFolder();
  const { x, y, width, height } = EPITHELIUM_REGION;
  /** `render` of `region` into `out` in the test's folder, from the test's database. */
  const render = (region: string, out: string, ...more: string[]) =>
    cli([
      'render',
      CMU1_PATH,
      '--region',
      region,
      '--out',
      out,
      '--db',
      temp.dbPath,
      ...more,
    ]);

  beforeAll(async () => {
    await runAnalysis({
      slidePath: CMU1_PATH,
      dbPath: temp.dbPath,
      regionBase: EPITHELIUM_REGION,
    });
  }, 300_000);
  afterAll(async () => {
    await closeAllSlides();
    temp.cleanup();
  });

  it('draws the stored nuclei inside the analysed region without a note', async () => {
    const out = path.join(temp.folder, 'inside.png');
    const region = `${x + 20},${y + 20},${width - 40},${height - 40}`;
    const result = await render(region, out);

    expect(result.status).toBe(0);
    const drawn = Number(/with (\d+) nuclei/.exec(result.stdout)?.[1]);
    expect(drawn).toBeGreaterThan(10);
    expect(result.stdout).not.toContain('Note:');
    expect(result.stdout).toMatch(
      /^Verdict of analysis 1: (Reliable|Review|Out-of-domain)\./m,
    );
    const metadata = await sharp(out).metadata();
    const captionPx = Number(/above a (\d+) px caption/.exec(result.stdout)?.[1]);
    expect(captionPx).toBeGreaterThan(0);
    // A region narrower than the caption's 320 px gets a white margin on its right.
    const picture = [Math.max(320, width - 40), height - 40 + captionPx];
    expect([metadata.width, metadata.height]).toEqual(picture);
    expect(result.stdout).toContain(
      `Rendered a ${picture[0]}x${picture[1]} px PNG: the region ` +
        `(${width - 40}x${height - 40} px at its top left)`,
    );
  });

  it("says when the region asked reaches past the slide's edge, and what was drawn", async () => {
    const out = path.join(temp.folder, 'edge.png');
    const result = await render('2000,2800,1000,1000', out);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "Note: the region reached past the slide's edge; drawn was 2000,2800,220,167",
    );
    const inside = await render('100,100,50,50', path.join(temp.folder, 'inner.png'));
    expect(inside.stdout).not.toContain('past the slide');
  });

  it('says when the rendered region reaches beyond what the analysis covered', async () => {
    const out = path.join(temp.folder, 'beyond.png');
    const result = await render('0,0,400,400', out);

    expect(result.status).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(result.stdout).toContain(
      `Note: analysis 1 covered only the level-0 region ${x},${y},${width},${height}`,
    );
  });

  it('draws the analysis named by --analysis, and refuses one the slide does not have', async () => {
    const out = path.join(temp.folder, 'chosen.png');
    const region = `${x},${y},${width},${height}`;
    const chosen = await render(region, out, '--analysis', '1');
    expect(chosen.status).toBe(0);
    expect(chosen.stdout).toMatch(/nuclei of analysis 1, /);

    const missing = await render(region, out, '--analysis', '7');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /^ANALYSIS_NOT_FOUND: Analysis 7 is not an analysis of this slide/,
    );
  });

  it('prefers a finished analysis covering the region to a newer one that does not', async () => {
    const inner = { x: x + 64, y: y + 64, width: 64, height: 64 };
    await runAnalysis({ slidePath: CMU1_PATH, dbPath: temp.dbPath, regionBase: inner });
    const out = path.join(temp.folder, 'covered.png');

    const whole = await render(`${x},${y},${width},${height}`, out);
    expect(whole.stdout).toMatch(/nuclei of analysis 1, /);
    expect(whole.stdout).not.toContain('Note:');

    const region = `${inner.x},${inner.y},${inner.width},${inner.height}`;
    const refused = await render(region, out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('A file already exists at --out; pass --force');

    const small = await render(region, out, '--force');
    expect(small.stdout).toMatch(/nuclei of analysis 2, /);
    expect(small.stdout).not.toContain('Note:');
  });

  it('says on stdout and in the picture when the analysis is unfinished', async () => {
    const dbPath = path.join(temp.folder, 'partial.db');
    const controller = new AbortController();
    const cancelled = await runAnalysis(
      { slidePath: CMU1_PATH, dbPath, regionBase: EPITHELIUM_REGION },
      {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.tilesDone > 0) controller.abort();
        },
      },
    );
    expect(cancelled.end).toBe('cancelled');
    const out = path.join(temp.folder, 'partial.png');
    const result = await cli(
      ['render', CMU1_PATH, '--region', `${x},${y},${width},${height}`],
      ['--out', out, '--db', dbPath],
    );

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /Note: analysis 1 is not finished \(cancelled, \d+ of \d+ tiles\)/,
    );
    expect(result.stdout).toContain('Verdict of analysis 1: not triaged yet.');
    // The unfinished line is a caption row of its own, above the verdict and legend.
    const done = await render(`${x},${y},${width},${height}`, `${out}.done.png`);
    const captionOf = (text: string) =>
      Number(/above a (\d+) px caption/.exec(text)?.[1]);
    expect(captionOf(result.stdout)).toBeGreaterThan(captionOf(done.stdout));
  });

  it('refuses an empty --db path as a usage error, exit status 2', async () => {
    const out = path.join(temp.folder, 'never.png');
    const result = await cli([
      'render',
      CMU1_PATH,
      '--region',
      '0,0,10,10',
      '--out',
      out,
      '--db',
      '',
    ]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain("option '--db <path>' argument '' is invalid");
    expect(existsSync(out)).toBe(false);
  });
});

describe('verdictLine', () => {
  it("says the model's nuclei are not to be used on an Out-of-domain slide", () => {
    expect(verdictLine(3, 'out-of-domain')).toBe(
      "Verdict of analysis 3: Out-of-domain. The model's nuclei are not to be used on " +
        'this slide; the outlines are drawn for inspection only.\n',
    );
  });

  it('gives the verdict alone otherwise', () => {
    expect(verdictLine(3, 'review')).toBe('Verdict of analysis 3: Review.\n');
  });
});
