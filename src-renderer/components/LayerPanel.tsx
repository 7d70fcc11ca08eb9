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

function Toggle(props: {
  label: string;
  isOn: boolean;
  onChange: (isOn: boolean) => void;
}) {
  return (
    <label>
      <input
        type="checkbox"
        checked={props.isOn}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      {props.label}
    </label>
  );
}

function OpacitySlider(props: {
  name: string;
  value: number;
  onChange: (value: number) => void;
}) {
  return (
    <label>
      Opacity
      <input
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={props.value}
        aria-label={`${props.name} opacity`}
        onChange={(event) => props.onChange(Number(event.target.value))}
      />
    </label>
  );
}

function NucleiFieldset(props: {
  nuclei: NucleiLayerStyle;
  onChange: (style: NucleiLayerStyle) => void;
}) {
  const { nuclei, onChange } = props;
  return (
    <fieldset>
      <legend>
        <Toggle
          label="Nuclei"
          isOn={nuclei.isVisible}
          onChange={(isVisible) => onChange({ ...nuclei, isVisible })}
        />
      </legend>
      <OpacitySlider
        name="Nuclei"
        value={nuclei.opacity}
        onChange={(opacity) => onChange({ ...nuclei, opacity })}
      />
      <Toggle
        label="Filled shapes when zoomed in"
        isOn={nuclei.isFilled}
        onChange={(isFilled) => onChange({ ...nuclei, isFilled })}
      />
      <NucleiLegend style={nuclei} onChange={onChange} />
    </fieldset>
  );
}

function HeatmapFieldset(props: {
  layer: GridLayer;
  state: HeatmapLayerState;
  onChange: (layer: GridLayer, state: HeatmapLayerState) => void;
}) {
  const { layer, state, onChange } = props;
  return (
    <fieldset data-layer={layer}>
      <legend>
        <Toggle
          label={LAYER_TITLES[layer]}
          isOn={state.isVisible}
          onChange={(isVisible) => onChange(layer, { ...state, isVisible })}
        />
      </legend>
      <OpacitySlider
        name={LAYER_TITLES[layer]}
        value={state.opacity}
        onChange={(opacity) => onChange(layer, { ...state, opacity })}
      />
      <HeatmapLegend layer={layer} />
    </fieldset>
  );
}

/** The panel. */
export function LayerPanel(props: {
  nuclei: NucleiLayerStyle;
  onNucleiChange: (style: NucleiLayerStyle) => void;
  heatmaps: Readonly<Record<GridLayer, HeatmapLayerState>>;
  onHeatmapChange: (layer: GridLayer, state: HeatmapLayerState) => void;
}) {
  const { heatmaps } = props;
  return (
    <section className="panel" aria-labelledby="layers-title">
      <h2 id="layers-title">Layers</h2>
      <NucleiFieldset nuclei={props.nuclei} onChange={props.onNucleiChange} />
      {(Object.keys(heatmaps) as GridLayer[]).map((layer) => (
        <HeatmapFieldset
          key={layer}
          layer={layer}
          state={heatmaps[layer]}
          onChange={props.onHeatmapChange}
        />
      ))}
    </section>
  );
}
