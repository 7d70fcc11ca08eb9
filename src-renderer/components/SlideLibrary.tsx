/** The slide library: every slide in triage order with its status and verdict. */
import { useState } from 'react';
import type { SlideSummary } from '../../src-shared/ipc-schemas';
import { useAppContext } from '../api/api-context';
import { describeError } from '../api/api-client';
import { useAsync } from '../api/use-async';
import { sortByTriagePriority } from '../library/library-format';
import { AddSlidesForm } from './AddSlidesForm';
import { AnalysisStatus } from './AnalysisStatus';
import { SlideThumbnail } from './SlideThumbnail';
import { VerdictBadge } from './VerdictBadge';

function StartButton(props: {
  slide: SlideSummary;
  onStarted: (slideId: string, jobId: string) => void;
}) {
  const { api } = useAppContext();
  const { slide, onStarted } = props;
  const [startError, setStartError] = useState<string | null>(null);
  const analysis = slide.latestAnalysis;
  const canStart = slide.isFileAvailable && analysis?.status !== 'running';
  const verb = analysis ? 'Re-analyse' : 'Analyse';

  const start = () =>
    void api.call('analysis:start', { slideId: slide.slideId }).then(
      (progress) => onStarted(slide.slideId, progress.jobId),
      (error: unknown) => setStartError(describeError(error)),
    );
  return (
    <div className="start-analysis">
      <button
        type="button"
        disabled={!canStart}
        onClick={start}
        aria-label={`${verb} ${slide.displayName}`}
      >
        {verb}
      </button>
      {startError ? (
        <span className="error-text" role="alert">
          {startError}
        </span>
      ) : null}
    </div>
  );
}

function SlideRow(props: {
  slide: SlideSummary;
  jobId: string | null;
  onStarted: (slideId: string, jobId: string) => void;
  onOpen: (slideId: string) => void;
  onChanged: () => void;
}) {
  const { slide, onOpen, onChanged } = props;
  return (
    <li className="slide-row" data-slide-id={slide.slideId}>
      <SlideThumbnail slideId={slide.slideId} isFileAvailable={slide.isFileAvailable} />
      <div className="slide-row-main">
        <button
          type="button"
          className="link-button slide-name"
          onClick={() => onOpen(slide.slideId)}
        >
          {slide.displayName}
        </button>
        <span className="muted">
          {slide.format} · {slide.widthPx}×{slide.heightPx} px ·{' '}
          {slide.mpp ? `${slide.mpp.x.toFixed(3)} µm/px` : 'uncalibrated'}
        </span>
        <AnalysisStatus
          analysis={slide.latestAnalysis}
          jobId={props.jobId}
          onChanged={onChanged}
        />
      </div>
      <VerdictBadge verdict={slide.latestAnalysis?.verdict ?? null} isCompact />
      <StartButton
        slide={slide}
        onStarted={(slideId, jobId) => {
          props.onStarted(slideId, jobId);
          onChanged();
        }}
      />
    </li>
  );
}

/** The library page; `onOpen` opens a slide in the viewer. */
export function SlideLibrary(props: { onOpen: (slideId: string) => void }) {
  const { api } = useAppContext();
  const slides = useAsync(() => api.call('slides:list', {}), 'slides');
  const ordered = slides.value ? sortByTriagePriority(slides.value) : [];
  const [jobs, setJobs] = useState<ReadonlyMap<string, string>>(new Map());
  const rememberJob = (slideId: string, jobId: string) =>
    setJobs((current) => new Map(current).set(slideId, jobId));

  return (
    <main className="library" aria-labelledby="library-title">
      <h1 id="library-title">Slides</h1>
      <p className="muted">
        Sorted by triage priority: out-of-domain, then review, then reliable.
      </p>
      <AddSlidesForm onAdded={slides.reload} />
      {slides.errorMessage ? (
        <p role="alert" className="error-text">
          Could not list slides: {slides.errorMessage}
        </p>
      ) : null}
      {slides.value && ordered.length === 0 ? <p>No slides yet.</p> : null}
      <ul className="slide-list" aria-label="Slide library">
        {ordered.map((slide) => (
          <SlideRow
            key={slide.slideId}
            slide={slide}
            jobId={jobs.get(slide.slideId) ?? null}
            onStarted={rememberJob}
            onOpen={props.onOpen}
            onChanged={slides.reload}
          />
        ))}
      </ul>
    </main>
  );
}
