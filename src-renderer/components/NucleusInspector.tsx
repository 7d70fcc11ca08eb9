/** What the user learns by clicking a nucleus: type, probabilities, entropies, area. */
import type { NucleusDetail } from '../../src-shared/ipc-result-schemas';
import type { LegendClass } from '../overlays/nuclei/class-palette';

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
      <dl>
        <dt>Type</dt>
        <dd>{detail.className ?? 'untyped'}</dd>
        <dt>Nucleus probability</dt>
        <dd>{detail.nucleusProbability.toFixed(2)}</dd>
        <dt>Detection entropy</dt>
        <dd>{detail.npEntropy.toFixed(3)} nats</dd>
        <dt>Type entropy</dt>
        <dd>
          {detail.ntEntropy === null ? 'n/a' : `${detail.ntEntropy.toFixed(3)} nats`}
        </dd>
        <dt>Area</dt>
        <dd>
          {detail.areaMicrons2 === null
            ? `${detail.areaBasePx.toFixed(0)} px² (uncalibrated)`
            : `${detail.areaMicrons2.toFixed(1)} µm²`}
        </dd>
        {detail.predictionSet ? (
          <>
            <dt>Prediction set</dt>
            <dd>{detail.predictionSet.map(nameOf).join(', ') || 'empty'}</dd>
          </>
        ) : null}
      </dl>
      {detail.classProbabilities ? (
        <table className="probabilities">
          <caption>Calibrated type probabilities</caption>
          <tbody>
            {detail.classProbabilities.map((probability, position) => (
              <tr key={position}>
                <th scope="row">{nameOf(position + 1)}</th>
                <td>{(probability * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
