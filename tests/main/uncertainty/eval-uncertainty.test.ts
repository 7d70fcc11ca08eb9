import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import type { EvaluationReport } from '../../../src-main/uncertainty/evaluation/run-evaluation';
import { SYNTHETIC_OOD_KINDS } from '../../../src-main/uncertainty/evaluation/synthetic-inputs';
import { describeWithData, SHARED_DATA_DIR } from '../../support/shared-data';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TSX = path.join(root, 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(root, 'src-main', 'cli', 'eval-uncertainty.ts');
const NUMBER = '(-?[0-9.]+|Infinity)';

// CELLVIT_EVAL_BUNDLE evaluates another bundle folder than the embedded default.
const bundleArgs = process.env.CELLVIT_EVAL_BUNDLE
  ? ['--bundle', process.env.CELLVIT_EVAL_BUNDLE]
  : [];

function figure(text: string, pattern: string): [number, number, number] {
  const match = new RegExp(pattern).exec(text);
  if (!match) throw new Error(`The report lacks a line matching ${pattern}`);
  const [a = NaN, b = NaN, c = NaN] = match.slice(1).map(Number);
  return [a, b, c];
}

describeWithData('npm run eval:uncertainty -- --subset', () => {
  let stdout = '';
  let report: EvaluationReport;
  beforeAll(async () => {
    const jsonPath = path.join(
      mkdtempSync(path.join(tmpdir(), 'eval-unc-')),
      'report.json',
    );
    const result = await run(
      TSX,
      [SCRIPT, '--subset', '--data', SHARED_DATA_DIR, '--json', jsonPath, ...bundleArgs],
      {
        cwd: root,
        env: { ...process.env, CELLVIT_LOG_LEVEL: 'warn' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    stdout = result.stdout;
    report = JSON.parse(readFileSync(jsonPath, 'utf8')) as EvaluationReport;
  }, 600_000);

  it('names the held-out data every figure is on', () => {
    expect(stdout).toMatch(/Held-out typed tiles \(bundle test split\): \S+/);
    expect(stdout).toMatch(/MoNuSeg test tiles \(never used by training\): TCGA-/);
  });

  it('prints ECE, NLL and Brier before and after scaling for both heads, each in range', () => {
    for (const head of [
      'np \\| monuseg/test',
      'np \\| typed test split',
      'nt \\| typed test split',
    ]) {
      for (const name of ['ece', 'brier']) {
        const [before, after] = figure(
          stdout,
          `${name} \\[${head}[^\\]]*\\]: before ${NUMBER} after ${NUMBER}`,
        );
        expect(before).toBeGreaterThanOrEqual(0);
        expect(after).toBeLessThanOrEqual(name === 'ece' ? 1 : 2);
      }
      const [before, after] = figure(
        stdout,
        `nll \\[${head}[^\\]]*\\]: before ${NUMBER} after ${NUMBER}`,
      );
      expect(Number.isFinite(before) && Number.isFinite(after) && after >= 0).toBe(true);
    }
  });

  it('prints coverage and mean set size at alpha 0.1 and 0.05 for LAC and APS, marginal and per class', () => {
    for (const alpha of ['0.1', '0.05']) {
      for (const score of ['lac', 'aps']) {
        for (const mode of ['marginal', 'class-conditional']) {
          const [coverage, , size] = figure(
            stdout,
            `coverage \\[${score} ${mode} alpha=${alpha}\\]: ${NUMBER} \\(nominal ${NUMBER}\\) mean set size ${NUMBER}`,
          );
          expect(coverage).toBeGreaterThanOrEqual(0);
          expect(coverage).toBeLessThanOrEqual(1);
          expect(size).toBeGreaterThanOrEqual(1);
        }
        expect(stdout).toMatch(
          new RegExp(
            `coverage \\[${score} marginal alpha=${alpha} \\| class \\S+ n=\\d+\\]`,
          ),
        );
      }
    }
  });

  it('prints OOD AUROC and FPR at 95 % TPR for every synthetic kind, pooled and the brain tiles', () => {
    for (const kind of [
      'all synthetic',
      ...SYNTHETIC_OOD_KINDS,
      'monuseg brain \\(natural\\)',
    ]) {
      const [auroc, fpr] = figure(
        stdout,
        `ood auroc \\[${kind} n=\\d+\\]: ${NUMBER} fpr@95tpr ${NUMBER}`,
      );
      expect(auroc).toBeGreaterThanOrEqual(0);
      expect(auroc).toBeLessThanOrEqual(1);
      expect(fpr).toBeGreaterThanOrEqual(0);
      expect(fpr).toBeLessThanOrEqual(1);
    }
  });

  it('refits both temperatures on the held-out data for comparison, within the search bounds', () => {
    const { np, nt } = report.heldOutOptimalTemperature;
    for (const temperature of [np, nt]) {
      expect(temperature).toBeGreaterThanOrEqual(0.05);
      expect(temperature).toBeLessThanOrEqual(20);
    }
    expect(stdout).toMatch(
      /nt temperature refitted \(Brier\) on the typed test split's nuclei/,
    );
  });

  it('reads in-domain tissue from CMU-1 through the slide layer', () => {
    expect(report.ood.inDomain.slideTiles).toBeGreaterThan(0);
  });

  it('states that coverage is marginal and holds only on data like the calibration data', () => {
    expect(stdout).toMatch(/marginal coverage/);
    expect(stdout).toMatch(/only for slides like the calibration data/);
  });

  it('marks a subset run as not for figures', () => {
    expect(report.isSubset).toBe(true);
    expect(stdout).toMatch(/SUBSET: for tests, not for figures/);
  });
});
