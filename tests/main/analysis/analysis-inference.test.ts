import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AnalysisOutcome } from '../../../src-main/analysis/analysis-types';
import { runAnalysis } from '../../../src-main/analysis/run-analysis';
import { setLogSink } from '../../../src-main/logging/logger';
import { describeWithData } from '../../support/shared-data';
import { CMU1_PATH, EPITHELIUM_REGION, temporaryFolder } from './analysis-fixture';

interface LogLine {
  level: number;
  event: string;
  provider?: string;
  fallback?: string;
}

/** pino's numeric level for `warn`. */
const WARN_LEVEL = 40;

describeWithData('openInference with CUDA asked for on a machine without it', () => {
  const temp = temporaryFolder();
  const lines: LogLine[] = [];
  let outcome: AnalysisOutcome;

  beforeAll(async () => {
    setLogSink((line) => lines.push(JSON.parse(line) as LogLine));
    try {
      outcome = await runAnalysis({
        slidePath: CMU1_PATH,
        dbPath: temp.dbPath,
        regionBase: EPITHELIUM_REGION,
        executionProviders: ['cuda', 'cpu'],
      });
    } finally {
      setLogSink(null);
    }
  }, 600_000);

  afterAll(() => temp.cleanup());

  it('warns that CUDA is unavailable and names CPU as the fallback', () => {
    const warning = lines.find((line) => line.event === 'provider.unavailable');
    expect(warning).toMatchObject({
      level: WARN_LEVEL,
      provider: 'cuda',
      fallback: 'cpu',
    });
  });

  it('creates the sessions on CPU alone when CUDA fails its probe', () => {
    expect(outcome.inference?.executionProviders).toEqual(['cpu']);
  });

  it('completes the analysis on CPU when CUDA is unavailable', () => {
    expect(outcome.end).toBe('done');
    expect(outcome.tilesRun).toBe(outcome.tilesTotal);
    expect(outcome.inference?.graphTilesRun.model).toBe(outcome.tilesTotal);
  });
});
