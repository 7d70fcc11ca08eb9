/**
 * Layer controls: the nuclei legend (each class toggles; its PanNuke mapping is
 * shown), nuclei opacity and style, and the three heat maps, each with its own
 * opacity slider and legend.
 */
import type { GridLayer } from '../../src-shared/ipc-result-schemas';
import { VERDICT_PRESENTATION, VERDICTS } from '../../src-shared/verdict';
import type { HeatmapLayerState } from '../overlays/heatmap/HeatmapOverlay';
import { SEQUENTIAL_PALETTES } from '../overlays/heatmap/heatmap-palette';
import type { NucleiLayerStyle } from '../overlays/nuclei/nuclei-layer-controller';
import { VerdictIcon } from './VerdictIcon';

const LAYER_TITLES: Readonly<Record<GridLayer, string>> = {
  aleatoric: 'Aleatoric uncertainty (entropy, 0 to 1)',
  ood: 'Out-of-domain distance (Mahalanobis)',
  verdict: 'Region verdict',
};

function NucleiLegend(props: {
  style: NucleiLayerStyle;
  onChange: (style: NucleiLayerStyle) => void;
}) {
  const { style, onChange } = props;
  const toggle = (index: number) => {
    const hidden = new Set(style.hiddenClassIndices);
    if (hidden.has(index)) hidden.delete(index);
    else hidden.add(index);
    onChange({ ...style, hiddenClassIndices: hidden });
  };
  return (
    <ul className="legend" aria-label="Nucleus types">
      {style.classes.map((entry) => (
        <li key={entry.index}>
          <label>
            <input
              type="checkbox"
              checked={!style.hiddenClassIndices.has(entry.index)}
              onChange={() => toggle(entry.index)}
            />
            <span
              className="swatch"
              style={{ background: entry.colorHex }}
              aria-hidden="true"
            />
            {entry.name}
            <span className="muted">
              {' '}
              {entry.pannuke.length
                ? `PanNuke: ${entry.pannuke.join(', ')}`
                : 'no PanNuke class'}
            </span>
          </label>
        </li>
      ))}
    </ul>
  );
}

function HeatmapLegend(props: { layer: GridLayer }) {
  if (props.layer === 'verdict') {
    return (
      <ul className="legend">
        {VERDICTS.map((verdict) => {
          const presentation = VERDICT_PRESENTATION[verdict];
          return (
            <li key={verdict}>
              <VerdictIcon icon={presentation.icon} colorHex={presentation.colorHex} />{' '}
              {presentation.label}
              {verdict === 'review'
                ? ' (dotted)'
                : verdict === 'out-of-domain'
                  ? ' (striped)'
                  : ' (plain)'}
            </li>
          );
        })}
      </ul>
    );
  }
  const [low, high] = SEQUENTIAL_PALETTES[props.layer];
  const gradient = `linear-gradient(to right, rgb(${low.join(',')}), rgb(${high.join(',')}))`;
  const ends =
    props.layer === 'aleatoric'
      ? ['certain', 'uncertain']
      : ['like training data', 'threshold ×2'];
  return (
    <div className="gradient-legend">
      <div className="gradient-bar" style={{ background: gradient }} aria-hidden="true" />
      <span>{ends[0]}</span>
      <span>{ends[1]}</span>
    </div>
  );
}

/** The panel. */
export function LayerPanel(props: {
  nuclei: NucleiLayerStyle;
  onNucleiChange: (style: NucleiLayerStyle) => void;
  heatmaps: Readonly<Record<GridLayer, HeatmapLayerState>>;
  onHeatmapChange: (layer: GridLayer, state: HeatmapLayerState) => void;
}) {
  const { nuclei, onNucleiChange, heatmaps, onHeatmapChange } = props;
  return (
    <section className="panel" aria-labelledby="layers-title">
      <h2 id="layers-title">Layers</h2>
      <fieldset>
        <legend>
          <label>
            <input
              type="checkbox"
              checked={nuclei.isVisible}
              onChange={(event) =>
                onNucleiChange({ ...nuclei, isVisible: event.target.checked })
              }
            />
            Nuclei
          </label>
        </legend>
        <label>
          Opacity
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={nuclei.opacity}
            onChange={(event) =>
              onNucleiChange({ ...nuclei, opacity: Number(event.target.value) })
            }
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={nuclei.isFilled}
            onChange={(event) =>
              onNucleiChange({ ...nuclei, isFilled: event.target.checked })
            }
          />
          Filled shapes when zoomed in
        </label>
        <NucleiLegend style={nuclei} onChange={onNucleiChange} />
      </fieldset>
      {(Object.keys(heatmaps) as GridLayer[]).map((layer) => (
        <fieldset key={layer} data-layer={layer}>
          <legend>
            <label>
              <input
                type="checkbox"
                checked={heatmaps[layer].isVisible}
                onChange={(event) =>
                  onHeatmapChange(layer, {
                    ...heatmaps[layer],
                    isVisible: event.target.checked,
                  })
                }
              />
              {LAYER_TITLES[layer]}
            </label>
          </legend>
          <label>
            Opacity
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={heatmaps[layer].opacity}
              onChange={(event) =>
                onHeatmapChange(layer, {
                  ...heatmaps[layer],
                  opacity: Number(event.target.value),
                })
              }
            />
          </label>
          <HeatmapLegend layer={layer} />
        </fieldset>
      ))}
    </section>
  );
}
