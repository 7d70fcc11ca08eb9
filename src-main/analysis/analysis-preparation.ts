/**
 * Finds or creates the analysis a job works on: registers the slide by content,
 * plans the tiles, reuses an identical finished analysis (unless forced), resumes an
 * interrupted one with the same slide, bundle build and parameters, or starts anew.
 */
import { canonicalSha256 } from '../store/canonical-json';
import { computeSlideContentId } from '../store/slide-identity';
import type { AnalysisRecord } from '../store/store-types';
import { analysisParameters, bundleIdentity, planTiles } from './analysis-plan';
import type { AnalysisOptions } from './analysis-types';
import type { OpenResources } from './run-analysis';
import { readTissue } from './slide-tissue';
import type { PlannedTile } from './tile-processing';

/** The analysis to run and the tiles it still needs. */
export interface PreparedAnalysis {
  slideId: number;
  analysis: AnalysisRecord;
  /** Whether an identical finished analysis exists and is reused as is. */
  isAlreadyDone: boolean;
  level: number;
  /** Every tile of the plan, in grid order. */
  tiles: PlannedTile[];
  /** Tiles not committed yet, in grid order. */
  pendingTiles: PlannedTile[];
}

/** Registers the slide and picks the analysis; see the module comment. */
export async function prepareAnalysis(
  resources: OpenResources,
  options: AnalysisOptions,
): Promise<PreparedAnalysis> {
  const { reader, bundle, store, mpp, regionBase } = resources;
  const slideId = await registerSlide(resources, options.slidePath);

  const isTissueFilterDisabled = options.isTissueFilterDisabled === true;
  const tissue = isTissueFilterDisabled ? null : await readTissue(reader);
  const { grid, tiles } = planTiles({
    info: reader.info,
    mpp,
    regionBase,
    manifest: bundle.manifest,
    tissue,
  });
  const identity = bundleIdentity(bundle.manifest);
  const parameters = analysisParameters({
    manifest: bundle.manifest,
    mpp,
    regionBase,
    level: grid.level,
    isTissueFilterDisabled,
  });

  const done = options.isForced
    ? null
    : findFinished(resources, { slideId, identity, parameters });
  const analysis =
    done ??
    store.findResumableAnalysis({ slideId, bundle: identity, parameters }) ??
    store.createAnalysis({
      slideId,
      bundle: identity,
      parameters,
      nucleusClasses: bundle.manifest.nucleusClasses.map(({ index, name, color }) => ({
        index,
        name,
        color,
      })),
      appVersion: APP_VERSION,
      siteProfileVersion: null,
      plannedTileCount: tiles.length,
    });

  const pendingIndices = new Set(
    done
      ? []
      : store.pendingTiles(
          analysis.id,
          tiles.map((t) => t.tileIndex),
        ),
  );
  return {
    slideId,
    analysis,
    isAlreadyDone: done !== null,
    level: grid.level,
    tiles,
    pendingTiles: tiles.filter((tile) => pendingIndices.has(tile.tileIndex)),
  };
}

/** Version of the app recorded with each analysis. */
const APP_VERSION = '0.1.0';

async function registerSlide(
  resources: OpenResources,
  slidePath: string,
): Promise<number> {
  const { info } = resources.reader;
  const contentId = await computeSlideContentId(slidePath, {
    widthPx: info.widthPx,
    heightPx: info.heightPx,
  });
  const slide = resources.store.upsertSlide({
    contentId,
    path: slidePath,
    format: info.format,
    widthPx: info.widthPx,
    heightPx: info.heightPx,
    mpp: info.mpp,
  });
  if (resources.mpp.source === 'user')
    resources.store.setSlideMpp(slide.id, resources.mpp);
  return slide.id;
}

function findFinished(
  resources: OpenResources,
  wanted: {
    slideId: number;
    identity: { sha256: string };
    parameters: Record<string, unknown>;
  },
): AnalysisRecord | null {
  const parametersSha256 = canonicalSha256(wanted.parameters);
  const analyses = resources.store.listAnalyses(wanted.slideId);
  return (
    analyses.find(
      (a) =>
        a.status === 'done' &&
        a.bundle.sha256 === wanted.identity.sha256 &&
        a.parametersSha256 === parametersSha256,
    ) ?? null
  );
}
