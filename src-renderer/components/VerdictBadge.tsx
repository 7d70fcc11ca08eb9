/** A verdict as the whole app shows it: icon, word and colour from `verdict.ts`. */
import { VERDICT_PRESENTATION, type Verdict } from '../../src-shared/verdict';
import { VerdictIcon } from './VerdictIcon';

/** The badge; `verdict` null reads "No verdict yet" in neutral grey. */
export function VerdictBadge(props: { verdict: Verdict | null; isCompact?: boolean }) {
  if (props.verdict === null) {
    return <span className="verdict-badge verdict-none">No verdict yet</span>;
  }
  const presentation = VERDICT_PRESENTATION[props.verdict];
  return (
    <span
      className={`verdict-badge verdict-${props.verdict}`}
      style={{ borderColor: presentation.colorHex, color: presentation.colorHex }}
      title={presentation.description}
    >
      <VerdictIcon icon={presentation.icon} colorHex={presentation.colorHex} />
      <span>{presentation.label}</span>
      {props.isCompact ? null : (
        <span className="visually-hidden">: {presentation.description}</span>
      )}
    </span>
  );
}
