/**
 * One slide open for review: worklist on the left, the viewer with its overlays in
 * the middle, layers, the clicked nucleus and the decision on the right.
 */
import { useCallback, useMemo, useState } from 'react';
import type OpenSeadragon from 'openseadragon';
import type {
  AnalysisSummary,
  BundleBrief,
  GridLayer,
  NucleusDetail,
  Roi,
} from '../../src-shared/ipc-result-schemas';
import type { SlideDetails } from '../../src-shared/ipc-schemas';
import type { Api } from '../api/api-client';
import { useAppContext } from '../api/api-context';
import { useAsync } from '../api/use-async';
import {
  HeatmapOverlay,
  type HeatmapLayerState,
} from '../overlays/heatmap/HeatmapOverlay';
import { legendClassesFor } from '../overlays/nuclei/legend-classes';
import type { NucleiLayerStyle } from '../overlays/nuclei/nuclei-layer-controller';
import { NucleiOverlay } from '../overlays/nuclei/NucleiOverlay';
import { flyToBaseRect } from '../viewer/osd-bridge';
import { SlideViewer } from '../viewer/SlideViewer';
import { LayerPanel } from './LayerPanel';
import { NucleusInspector } from './NucleusInspector';
import { ReviewPanel } from './ReviewPanel';
import { RoiWorklist } from './RoiWorklist';
import { SlideHeader } from './SlideHeader';

type HeatmapStates = Record<GridLayer, HeatmapLayerState>;

const INITIAL_HEATMAPS: HeatmapStates = {
  aleatoric: { isVisible: false, opacity: 0.5 },
  ood: { isVisible: false, opacity: 0.5 },
  verdict: { isVisible: false, opacity: 0.4 },
};

function oodThresholdOf(summary: AnalysisSummary): number | null {
  return (
    summary.reasons.find((reason) => reason.code === 'ood-distance')?.threshold ?? null
  );
}

async function loadSlide(api: Api, slideId: string) {
  const slide = await api.call('slides:info', { slideId });
  const analysis = slide.latestAnalysis;
  const summary =
    analysis?.status === 'done'
      ? await api.call('analysis:summary', { analysisId: analysis.analysisId })
      : null;
  return { slide, summary };
}

/** Layer state: nuclei style (classes from the bundle) and the heat maps. */
function useLayers(summary: AnalysisSummary | null, bundle: BundleBrief | null) {
  const classes = useMemo(
    () => (summary ? legendClassesFor(summary, bundle) : []),
    [summary, bundle],
  );
  const [style, setStyle] = useState<Omit<NucleiLayerStyle, 'classes'>>({
    hiddenClassIndices: new Set(),
    opacity: 0.8,
    isFilled: false,
    isVisible: true,
  });
  const nuclei = useMemo(() => ({ ...style, classes }), [style, classes]);
  const setNuclei = useCallback(
    ({ classes: _classes, ...rest }: NucleiLayerStyle) => setStyle(rest),
    [],
  );
  const [heatmaps, setHeatmaps] = useState(INITIAL_HEATMAPS);
  const setHeatmap = useCallback(
    (layer: GridLayer, state: HeatmapLayerState) =>
      setHeatmaps((current) => ({ ...current, [layer]: state })),
    [],
  );
  return { nuclei, setNuclei, heatmaps, setHeatmap };
}

function AnalysedSide(props: {
  summary: AnalysisSummary;
  layers: ReturnType<typeof useLayers>;
  picked: NucleusDetail | null;
  auditKey: number;
  onAudited: () => void;
}) {
  const { layers } = props;
  return (
    <aside className="side right" aria-label="Layers and review">
      <LayerPanel
        nuclei={layers.nuclei}
        onNucleiChange={layers.setNuclei}
        heatmaps={layers.heatmaps}
        onHeatmapChange={layers.setHeatmap}
      />
      <NucleusInspector detail={props.picked} classes={layers.nuclei.classes} />
      <ReviewPanel
        summary={props.summary}
        auditRefreshKey={props.auditKey}
        onRecorded={props.onAudited}
      />
    </aside>
  );
}

function Overlays(props: {
  viewer: OpenSeadragon.Viewer;
  slide: SlideDetails;
  summary: AnalysisSummary;
  layers: ReturnType<typeof useLayers>;
  onPicked: (detail: NucleusDetail | null) => void;
  onError: (message: string) => void;
}) {
  const { viewer, summary, layers, onError } = props;
  return (
    <>
      <HeatmapOverlay
        viewer={viewer}
        analysisId={summary.analysisId}
        layers={layers.heatmaps}
        oodThreshold={oodThresholdOf(summary)}
        onError={onError}
      />
      <NucleiOverlay
        viewer={viewer}
        analysisId={summary.analysisId}
        mppX={props.slide.mpp?.x ?? null}
        style={layers.nuclei}
        onPicked={props.onPicked}
        onError={onError}
      />
    </>
  );
}

function OpenedSlide(props: {
  slide: SlideDetails;
  summary: AnalysisSummary | null;
  onBack: () => void;
}) {
  const { appInfo } = useAppContext();
  const { slide, summary } = props;
  const [viewer, setViewer] = useState<OpenSeadragon.Viewer | null>(null);
  const [picked, setPicked] = useState<NucleusDetail | null>(null);
  const [overlayError, setOverlayError] = useState<string | null>(null);
  const [auditKey, setAuditKey] = useState(0);
  const onAudited = useCallback(() => setAuditKey((key) => key + 1), []);
  const layers = useLayers(summary, appInfo.bundle);
  const navigate = useCallback(
    (roi: Roi) => viewer && flyToBaseRect(viewer, roi.baseRect),
    [viewer],
  );

  return (
    <main className="workspace">
      <SlideHeader slide={slide} summary={summary} onBack={props.onBack} />
      {overlayError ? (
        <p role="alert" className="error-text overlay-error">
          {overlayError}
        </p>
      ) : null}
      <div className="workspace-body">
        <aside className="side left" aria-label="Worklist">
          {summary ? (
            <RoiWorklist
              analysisId={summary.analysisId}
              onNavigate={navigate}
              onReviewed={onAudited}
            />
          ) : (
            <p className="muted">No analysis: no worklist.</p>
          )}
        </aside>
        <SlideViewer
          slide={slide}
          tiles={appInfo.tiles}
          onViewer={setViewer}
          renderOverlays={(osd) =>
            summary ? (
              <Overlays
                viewer={osd}
                slide={slide}
                summary={summary}
                layers={layers}
                onPicked={setPicked}
                onError={setOverlayError}
              />
            ) : null
          }
        />
        {summary ? (
          <AnalysedSide
            summary={summary}
            layers={layers}
            picked={picked}
            auditKey={auditKey}
            onAudited={onAudited}
          />
        ) : null}
      </div>
    </main>
  );
}

/** The workspace for `slideId`. */
export function Workspace(props: { slideId: string; onBack: () => void }) {
  const { api } = useAppContext();
  const loaded = useAsync(() => loadSlide(api, props.slideId), props.slideId);

  if (loaded.errorMessage) {
    return (
      <main className="workspace">
        <p role="alert" className="error-text">
          Could not open the slide: {loaded.errorMessage}
        </p>
        <button type="button" onClick={props.onBack}>
          ← Slides
        </button>
      </main>
    );
  }
  if (!loaded.value) {
    return (
      <main className="workspace" aria-busy="true">
        Opening the slide…
      </main>
    );
  }
  return (
    <OpenedSlide
      slide={loaded.value.slide}
      summary={loaded.value.summary}
      onBack={props.onBack}
    />
  );
}
