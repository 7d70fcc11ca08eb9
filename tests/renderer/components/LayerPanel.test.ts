import { describe, expect, it } from 'vitest';
import { LayerPanel } from '../../../src-renderer/components/LayerPanel';
import { legendClassesFor } from '../../../src-renderer/overlays/nuclei/legend-classes';
import { analysisSummary, DEFAULT_BRIEF, renderMarkup } from './render-markup';

const HIDDEN = { isVisible: false, opacity: 0.5 };

function legendItems(): string[] {
  const markup = renderMarkup(LayerPanel, {
    nuclei: {
      classes: legendClassesFor(analysisSummary(), DEFAULT_BRIEF),
      hiddenClassIndices: new Set<number>(),
      opacity: 0.8,
      isFilled: false,
      isVisible: true,
    },
    onNucleiChange: () => undefined,
    heatmaps: { aleatoric: HIDDEN, ood: HIDDEN, verdict: HIDDEN },
    onHeatmapChange: () => undefined,
  });
  const legend = /<ul class="legend" aria-label="Nucleus types">(.*?)<\/ul>/.exec(markup);
  return legend?.[1]?.match(/<li>.*?<\/li>/g) ?? [];
}

describe('LayerPanel', () => {
  it('shows each bundle class with its manifest colour and PanNuke mapping', () => {
    const items = legendItems();

    expect(items).toHaveLength(5);
    expect(items[0]).toMatch(/background:#9e9e9e.*untyped/);
    expect(items[1]).toMatch(/background:#1f77ff.*inflammatory.*PanNuke: Inflammatory/);
    expect(items[2]).toMatch(/background:#2ca02c.*connective.*PanNuke: Connective/);
    expect(items[3]).toMatch(
      /background:#e3171e.*epithelial-or-neoplastic.*PanNuke: Neoplastic, Epithelial/,
    );
    expect(items[4]).toMatch(/background:#f5b800.*other.*no PanNuke class/);
  });
});
