/**
 * What the user learns by clicking a nucleus: type, probabilities, entropies, area,
 * and what the coverage of the calibrated outputs does and does not promise.
 */
import type { NucleusDetail } from '../../src-shared/ipc-result-schemas';
import { CONFORMAL_COVERAGE_STATEMENT } from '../../src-shared/verdict';
import type { LegendClass } from '../overlays/nuclei/class-palette';

/** Rows for classes 1..; entry 0 of the probabilities is the background's. */
function ProbabilityTable(props: {
  probabilities: number[];
  nameOf: (index: number) => string;
}) {
  const rows = props.probabilities
    .map((probability, classIndex) => ({ probability, classIndex }))
    .filter((row) => row.classIndex > 0);
  return (
    <table className="probabilities">
      <caption>Calibrated type probabilities</caption>
      <tbody>
        {rows.map(({ probability, classIndex }) => (
          <tr key={classIndex}>
            <th scope="row">{props.nameOf(classIndex)}</th>
            <td>{(probability * 100).toFixed(1)}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The limits of the calibration, next to the outputs they qualify. */
function CoverageNote() {
  return (
    <p className="coverage-note" role="note" aria-label="Coverage">
      {CONFORMAL_COVERAGE_STATEMENT}
    </p>
  );
}

function areaText(detail: NucleusDetail): string {
  if (detail.areaMicrons2 === null)
    return `${detail.areaBasePx.toFixed(0)} px² (uncalibrated)`;
  return `${detail.areaMicrons2.toFixed(1)} µm²`;
}

function Measures(props: { detail: NucleusDetail; nameOf: (index: number) => string }) {
  const { detail, nameOf } = props;
  const rows: [string, string][] = [
    ['Type', detail.className ?? 'untyped'],
    ['Nucleus probability', detail.nucleusProbability.toFixed(2)],
    ['Detection entropy', `${detail.npEntropy.toFixed(3)} nats`],
    [
      'Type entropy',
      detail.ntEntropy === null ? 'n/a' : `${detail.ntEntropy.toFixed(3)} nats`,
    ],
    ['Area', areaText(detail)],
  ];
  if (detail.predictionSet) {
    rows.push(['Prediction set', detail.predictionSet.map(nameOf).join(', ') || 'empty']);
  }
  return (
    <dl>
      {rows.map(([term, value]) => (
        <div key={term} className="measure">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The inspector; `detail` null prompts the user to click a nucleus. */
export function NucleusInspector(props: {
  detail: NucleusDetail | null;
  classes: LegendClass[];
}) {
  const { detail, classes } = props;
  if (!detail) {
    return (
      <section className="panel" aria-label="Nucleus">
        <h2>Nucleus</h2>
        <p className="muted">Click a nucleus to see its type and uncertainty.</p>
      </section>
    );
  }
  const nameOf = (index: number) =>
    classes.find((entry) => entry.index === index)?.name ?? `class ${index}`;
  return (
    <section className="panel nucleus-inspector" aria-label="Nucleus" aria-live="polite">
      <h2>
        Nucleus {detail.indexInTile + 1} of tile {detail.tileIndex}
      </h2>
      <Measures detail={detail} nameOf={nameOf} />
      {detail.classProbabilities ? (
        <ProbabilityTable probabilities={detail.classProbabilities} nameOf={nameOf} />
      ) : null}
      {detail.classProbabilities || detail.predictionSet ? <CoverageNote /> : null}
    </section>
  );
}
