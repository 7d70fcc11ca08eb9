/**
 * The analysis column of a library row: a progress bar with time left while running
 * (polled once a second), the failure message, or the result's counts and organ.
 */
import { useEffect, useState } from 'react';
import type { AnalysisBrief } from '../../src-shared/ipc-schemas';
import type { AnalysisProgressInfo } from '../../src-shared/ipc-result-schemas';
import { useAppContext } from '../api/api-context';
import { describeError } from '../api/api-client';
import { useAsync } from '../api/use-async';
import { formatCount, formatEta } from '../library/library-format';

const POLL_INTERVAL_MS = 1000;

function ProgressBar(props: { progress: AnalysisProgressInfo }) {
  const { tilesDone, tilesTotal, etaSeconds } = props.progress;
  const percent = tilesTotal > 0 ? Math.round((100 * tilesDone) / tilesTotal) : 0;
  return (
    <div className="analysis-progress">
      <progress max={tilesTotal || 1} value={tilesDone} aria-label="Analysis progress" />
      <span>
        {percent}% · {formatEta(etaSeconds)}
      </span>
    </div>
  );
}

function RunningStatus(props: { jobId: string; onFinished: () => void }) {
  const { api } = useAppContext();
  const [progress, setProgress] = useState<AnalysisProgressInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { jobId, onFinished } = props;

  useEffect(() => {
    const poll = () =>
      api
        .call('analysis:progress', { jobId })
        .then((latest) => {
          setProgress(latest);
          if (latest.status !== 'running' && latest.status !== 'queued') onFinished();
        })
        .catch((error: unknown) => setFailure(describeError(error)));
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [api, jobId, onFinished]);

  if (failure) return <span className="error-text">Progress unavailable: {failure}</span>;
  if (!progress) return <span>Starting…</span>;
  if (progress.status === 'failed') {
    return (
      <span className="error-text">
        Analysis failed: {progress.error?.message ?? 'no reason given'}
      </span>
    );
  }
  return <ProgressBar progress={progress} />;
}

function DoneStatus(props: { analysisId: string }) {
  const { api } = useAppContext();
  const summary = useAsync(
    () => api.call('analysis:summary', { analysisId: props.analysisId }),
    props.analysisId,
  );
  if (summary.errorMessage)
    return <span className="error-text">{summary.errorMessage}</span>;
  if (!summary.value) return <span aria-busy="true">Loading…</span>;
  const organ = summary.value.organ ? summary.value.organ.name : 'no organ head';
  return (
    <span>
      {formatCount(summary.value.nucleusCount)} nuclei · organ: {organ}
    </span>
  );
}

/** Reloads the library now and then while a job this window did not start runs. */
function RunningElsewhere(props: { onChanged: () => void }) {
  const { onChanged } = props;
  useEffect(() => {
    const timer = window.setInterval(onChanged, 3 * POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [onChanged]);
  return <span>Analysis running…</span>;
}

/**
 * The status cell for a slide's latest analysis (`null`: never analysed); `jobId`
 * is the job this window started for the slide, whose progress it can follow.
 */
export function AnalysisStatus(props: {
  analysis: AnalysisBrief | null;
  jobId: string | null;
  onChanged: () => void;
}) {
  const { analysis, jobId, onChanged } = props;
  const isRunning =
    !analysis || analysis.status === 'running' || analysis.status === 'queued';
  if (jobId && isRunning) return <RunningStatus jobId={jobId} onFinished={onChanged} />;
  if (!analysis) return <span className="muted">Not analysed</span>;
  if (isRunning) return <RunningElsewhere onChanged={onChanged} />;
  if (analysis.status === 'done') return <DoneStatus analysisId={analysis.analysisId} />;
  return <span className="error-text">Analysis {analysis.status}</span>;
}
