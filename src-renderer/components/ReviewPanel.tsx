/**
 * The slide decision and the audit trail. No decision is chosen in advance: a
 * pre-selected answer would nudge the pathologist towards it, so "Record decision"
 * stays disabled until one is picked. The trail is read-only: nothing here (or in the
 * contract) can change or delete a row.
 */
import { useCallback, useState, type FormEvent } from 'react';
import type { AnalysisSummary } from '../../src-shared/ipc-result-schemas';
import { useAppContext } from '../api/api-context';
import { describeError } from '../api/api-client';
import { useAsync } from '../api/use-async';

const DECISIONS = [
  { value: 'agree', label: 'Agree with the triage' },
  { value: 'disagree', label: 'Disagree with the triage' },
  { value: 'uncertain', label: 'Uncertain: needs another opinion' },
] as const;

function AuditTable(props: { slideId: string; refreshKey: number }) {
  const { api } = useAppContext();
  const audit = useAsync(
    () => api.call('audit:list', { slideId: props.slideId, limit: 100 }),
    `${props.slideId}:${props.refreshKey}`,
  );
  if (audit.errorMessage)
    return (
      <p role="alert" className="error-text">
        Audit trail unavailable: {audit.errorMessage}
      </p>
    );
  return (
    <table
      className="audit-table"
      aria-label="Audit trail (read-only)"
      aria-busy={audit.isLoading}
    >
      <caption>Audit trail (read-only, newest first)</caption>
      <thead>
        <tr>
          <th scope="col">When (UTC)</th>
          <th scope="col">Who</th>
          <th scope="col">What</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {(audit.value ?? []).map((row) => (
          <tr key={row.auditId}>
            <td>{row.at.replace('T', ' ').slice(0, 19)}</td>
            <td>{row.actor}</td>
            <td>{row.action}</td>
            <td>
              {Object.entries(row.details)
                .map(([key, value]) => `${key}: ${String(value)}`)
                .join('; ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Decision = (typeof DECISIONS)[number]['value'];

function DecisionChoices(props: {
  decision: Decision | null;
  onChange: (decision: Decision) => void;
}) {
  return (
    <fieldset>
      <legend>Slide triage</legend>
      {DECISIONS.map((option) => (
        <label key={option.value}>
          <input
            type="radio"
            name="decision"
            value={option.value}
            checked={props.decision === option.value}
            onChange={() => props.onChange(option.value)}
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

function DecisionForm(props: { analysisId: string; onRecorded: () => void }) {
  const { api } = useAppContext();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (decision === null) return;
    try {
      await api.call('review:record', {
        analysisId: props.analysisId,
        decision,
        comment,
      });
      setMessage('Decision recorded.');
      setDecision(null);
      setComment('');
      props.onRecorded();
    } catch (error) {
      setMessage(`Not recorded: ${describeError(error)}`);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)}>
      <DecisionChoices decision={decision} onChange={setDecision} />
      <label htmlFor="review-comment">Comment</label>
      <textarea
        id="review-comment"
        rows={2}
        maxLength={4000}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
      />
      <button type="submit" disabled={decision === null}>
        Record decision
      </button>
      {decision === null && message === null ? (
        <p className="muted">Choose a decision to record it.</p>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
    </form>
  );
}

function AnalysisDecisions(props: { summary: AnalysisSummary; onRecorded: () => void }) {
  const { summary, onRecorded } = props;
  const [recordedHere, setRecordedHere] = useState(0);
  const onDecisionRecorded = useCallback(() => {
    setRecordedHere((count) => count + 1);
    onRecorded();
  }, [onRecorded]);
  return (
    <>
      <DecisionForm analysisId={summary.analysisId} onRecorded={onDecisionRecorded} />
      <p className="muted">
        {summary.reviews.length + recordedHere} decision(s) recorded on this analysis.
      </p>
    </>
  );
}

/** The review panel for one analysis. */
export function ReviewPanel(props: {
  summary: AnalysisSummary;
  auditRefreshKey: number;
  onRecorded: () => void;
}) {
  const { summary } = props;
  return (
    <section className="panel review-panel" aria-labelledby="review-title">
      <h2 id="review-title">Your decision</h2>
      {/* Keyed so that nothing chosen or typed for one analysis carries to the next. */}
      <AnalysisDecisions
        key={summary.analysisId}
        summary={summary}
        onRecorded={props.onRecorded}
      />
      <AuditTable slideId={summary.slideId} refreshKey={props.auditRefreshKey} />
    </section>
  );
}
