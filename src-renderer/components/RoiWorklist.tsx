/**
 * The ROI worklist: ranked regions with their priority, verdict and the parts of
 * their score.
 * Clicking one, or j/n (next) and k/p (previous) anywhere outside a text field,
 * moves the viewer there. Each ROI can be marked reviewed, agreed or disagreed,
 * with a comment; main records every mark in the audit trail.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Roi } from '../../src-shared/ipc-result-schemas';
import { useAppContext } from '../api/api-context';
import { describeError } from '../api/api-client';
import { VerdictBadge } from './VerdictBadge';

/** The parts of an ROI's score, each 0 to 1, in the words the worklist shows. */
const SCORE_PARTS = [
  { key: 'uncertainty', label: 'Model uncertainty' },
  { key: 'density', label: 'Nucleus density' },
  { key: 'neoplasticFraction', label: 'Neoplastic or epithelial fraction' },
] as const;

const NEXT_KEYS = new Set(['j', 'n']);
const PREVIOUS_KEYS = new Set(['k', 'p']);

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

function RoiReviewControls(props: { roi: Roi; onUpdated: (roi: Roi) => void }) {
  const { api } = useAppContext();
  const [comment, setComment] = useState(props.roi.review.comment);
  const [failure, setFailure] = useState<string | null>(null);
  const mark = async (decision: 'agree' | 'disagree' | 'uncertain') => {
    try {
      props.onUpdated(
        await api.call('rois:review', { roiId: props.roi.roiId, decision, comment }),
      );
      setFailure(null);
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  const commentId = `roi-comment-${props.roi.roiId}`;
  return (
    <div className="roi-review">
      <label htmlFor={commentId}>Comment</label>
      <input
        id={commentId}
        value={comment}
        maxLength={4000}
        onChange={(event) => setComment(event.target.value)}
      />
      <div className="button-row">
        <button type="button" onClick={() => void mark('agree')}>
          Agree
        </button>
        <button type="button" onClick={() => void mark('disagree')}>
          Disagree
        </button>
        <button type="button" onClick={() => void mark('uncertain')}>
          Reviewed, unsure
        </button>
      </div>
      {failure ? (
        <p role="alert" className="error-text">
          {failure}
        </p>
      ) : null}
    </div>
  );
}

function RoiItem(props: {
  roi: Roi;
  isSelected: boolean;
  onSelect: () => void;
  onUpdated: (roi: Roi) => void;
}) {
  const { roi } = props;
  return (
    <li
      className={`roi-item${props.isSelected ? ' selected' : ''}`}
      aria-current={props.isSelected ? 'true' : undefined}
      data-roi-id={roi.roiId}
      data-base-rect={[
        roi.baseRect.x,
        roi.baseRect.y,
        roi.baseRect.width,
        roi.baseRect.height,
      ].join(',')}
    >
      <button type="button" className="roi-select" onClick={props.onSelect}>
        <span className="roi-rank">#{roi.rank}</span>{' '}
        <span className={`priority priority-${roi.priority}`}>{roi.priority}</span>{' '}
        <VerdictBadge verdict={roi.verdict} isCompact />{' '}
        <span className="muted">score {roi.score.toFixed(2)}</span>
      </button>
      <ul className="roi-reasons" aria-label="Why this region ranks here">
        {SCORE_PARTS.map((part) => (
          <li key={part.key}>
            {part.label}: {roi.scoreParts[part.key].toFixed(2)}
          </li>
        ))}
        <li>{roi.nucleusCount} nuclei</li>
      </ul>
      <p className="roi-status">
        Status: {roi.review.status}
        {roi.review.reviewer ? ` by ${roi.review.reviewer}` : ''}
      </p>
      {props.isSelected ? (
        <RoiReviewControls roi={roi} onUpdated={props.onUpdated} />
      ) : null}
    </li>
  );
}

/** The analysis's ROIs in rank order, with a way to replace one after a review. */
function useRois(analysisId: string) {
  const { api } = useAppContext();
  const [rois, setRois] = useState<Roi[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('rois:list', { analysisId })
      .then((list) => setRois([...list].sort((a, b) => a.rank - b.rank)))
      .catch((error: unknown) => setFailure(describeError(error)));
  }, [api, analysisId]);

  const replace = useCallback(
    (roi: Roi) =>
      setRois((current) =>
        current.map((entry) => (entry.roiId === roi.roiId ? roi : entry)),
      ),
    [],
  );
  return { rois, failure, replace };
}

/** j/n and k/p anywhere outside a text field step through the list. */
function useStepKeys(count: number, selected: number, select: (index: number) => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey)
        return;
      const step = NEXT_KEYS.has(event.key) ? 1 : PREVIOUS_KEYS.has(event.key) ? -1 : 0;
      if (step === 0 || count === 0) return;
      event.preventDefault();
      select(Math.min(count - 1, Math.max(0, selected + step)));
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [count, selected, select]);
}

/** The worklist; `onNavigate` moves the viewer to an ROI. */
export function RoiWorklist(props: {
  analysisId: string;
  onNavigate: (roi: Roi) => void;
  onReviewed: () => void;
}) {
  const { rois, failure, replace } = useRois(props.analysisId);
  const [selected, setSelected] = useState(-1);
  const { onNavigate, onReviewed } = props;
  const select = useCallback(
    (index: number) => {
      const roi = rois[index];
      if (!roi) return;
      setSelected(index);
      onNavigate(roi);
    },
    [rois, onNavigate],
  );
  useStepKeys(rois.length, selected, select);

  return (
    <section className="panel worklist" aria-labelledby="worklist-title">
      <h2 id="worklist-title">Regions to check ({rois.length})</h2>
      <p className="muted">j / n next, k / p previous.</p>
      {failure ? (
        <p role="alert" className="error-text">
          {failure}
        </p>
      ) : null}
      <ol className="roi-list">
        {rois.map((roi, index) => (
          <RoiItem
            key={roi.roiId}
            roi={roi}
            isSelected={index === selected}
            onSelect={() => select(index)}
            onUpdated={(updated) => {
              replace(updated);
              onReviewed();
            }}
          />
        ))}
      </ol>
    </section>
  );
}
