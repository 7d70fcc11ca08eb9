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

function SlideRow(props: {
  slide: SlideSummary;
  jobId: string | null;
  onStarted: (slideId: string, jobId: string) => void;
  onOpen: (slideId: string) => void;
  onChanged: () => void;
}) {
  const { api } = useAppContext();
  const { slide, onOpen, onChanged } = props;
  const [startError, setStartError] = useState<string | null>(null);
  const analysis = slide.latestAnalysis;
  const canStart = slide.isFileAvailable && (!analysis || analysis.status !== 'running');

  const start = async () => {
    try {
      const progress = await api.call('analysis:start', { slideId: slide.slideId });
      props.onStarted(slide.slideId, progress.jobId);
      onChanged();
    } catch (error) {
      setStartError(describeError(error));
    }
  };

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
        <AnalysisStatus analysis={analysis} jobId={props.jobId} onChanged={onChanged} />
        {startError ? (
          <span className="error-text" role="alert">
            {startError}
          </span>
        ) : null}
      </div>
      <VerdictBadge verdict={analysis?.verdict ?? null} isCompact />
      <button type="button" disabled={!canStart} onClick={() => void start()}>
        {analysis ? 'Re-analyse' : 'Analyse'}
      </button>
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
