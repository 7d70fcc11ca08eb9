import { describe, expect, it } from 'vitest';
import type { AnalysisProgress } from '../../../src-main/analysis/analysis-progress';
import { progressWriter } from '../../../src-main/cli/commands/analyze';

function progress(tilesDone: number, tilesTotal = 10): AnalysisProgress {
  return {
    tilesDone,
    tilesTotal,
    nucleiStored: tilesDone * 3,
    tilesPerSecond: 5,
    etaSeconds: (tilesTotal - tilesDone) / 5,
    elapsedMs: tilesDone * 200,
  };
}

function writtenLines(isTerminal: boolean, reports: AnalysisProgress[]): string {
  let stderr = '';
  const io = { stdout: () => undefined, stderr: (text: string) => (stderr += text) };
  const write = progressWriter(io, isTerminal);
  for (const report of reports) write(report);
  return stderr;
}

describe('progressWriter', () => {
  it('logs the first and the last report of a short run to a file, nothing between', () => {
    const lines = writtenLines(false, [progress(0), progress(4), progress(10)])
      .trim()
      .split('\n');

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/0\/10 tiles/);
    expect(lines[1]).toMatch(/10\/10 tiles/);
  });

  it('redraws one line in place on a terminal', () => {
    const written = writtenLines(true, [progress(0), progress(4), progress(10)]);

    expect(written.split('\r')).toHaveLength(4);
    expect(written).not.toContain('\n');
  });
});
