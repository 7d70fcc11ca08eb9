/**
 * Finds or creates the analysis a job works on: loads the site profile and checks
 * the providers (failing before anything is stored), registers the slide by content,
 * plans the tiles, then, unless forced, reuses an identical finished analysis or
 * continues an unfinished one (killed, cancelled or failed) with the same slide,
 * bundle build and parameters; otherwise it starts anew. The analysis worked on is
 * claimed for this process, so another process given the same job is refused while
 * this one runs. The site profile is one of the parameters: another profile is
 * another analysis.
 */
import path from 'node:path';
import { APP_VERSION } from '../app-version';
import type { SiteProfile } from '../../src-shared/site-profile';
import {
  EXECUTION_PROVIDERS,
  isExecutionProviderName,
  type ExecutionProviderName,
} from '../inference/execution-providers';
import { canonicalSha256 } from '../store/canonical-json';
import { computeSlideContentId } from '../store/slide-identity';
import type { AnalysisInput, AnalysisRecord, BundleIdentity } from '../store/store-types';
import { loadSiteProfile } from '../uncertainty/triage-context';
import { AnalysisOptionsError } from './analysis-errors';
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
  /** The site profile in force: the file's, or the cold-start profile. */
  siteProfile: SiteProfile;
  /** Providers asked for, in order of preference, before probing. */
  executionProviders: ExecutionProviderName[];
}

/** What identifies the analysis a job works on. */
interface AnalysisPlan {
  slideId: number;
  identity: BundleIdentity;
  parameters: Record<string, unknown>;
  level: number;
  tiles: PlannedTile[];
  siteProfile: SiteProfile;
}

/** Registers the slide and picks the analysis; see the module comment. */
export async function prepareAnalysis(
  resources: OpenResources,
  options: AnalysisOptions,
): Promise<PreparedAnalysis> {
  const executionProviders = checkProviders(options.executionProviders ?? ['cpu']);
  const siteProfile = await loadSiteProfile(options.siteProfilePath);
  const plan = await planAnalysis(resources, { options, siteProfile });

  const canReuse = options.isForced !== true;
  const done = canReuse ? findFinished(resources, plan) : null;
  const analysis =
    done ??
    resources.store.startAnalysisRun(analysisInput(resources, plan), {
      canResume: canReuse,
    }).analysis;

  const pendingIndices = new Set(
    done
      ? []
      : resources.store.pendingTiles(
          analysis.id,
          plan.tiles.map((t) => t.tileIndex),
        ),
  );
  return {
    slideId: plan.slideId,
    analysis,
    isAlreadyDone: done !== null,
    level: plan.level,
    tiles: plan.tiles,
    pendingTiles: plan.tiles.filter((tile) => pendingIndices.has(tile.tileIndex)),
    siteProfile,
    executionProviders,
  };
}

function checkProviders(names: readonly string[]): ExecutionProviderName[] {
  const unknown = names.filter((name) => !isExecutionProviderName(name));
  if (unknown.length > 0) {
    throw new AnalysisOptionsError(
      `Unknown execution provider(s) "${unknown.join(', ')}"; expected one or more of ` +
        `${EXECUTION_PROVIDERS.join(', ')}.`,
    );
  }
  return names.filter(isExecutionProviderName);
}

async function planAnalysis(
  resources: OpenResources,
  inputs: { options: AnalysisOptions; siteProfile: SiteProfile },
): Promise<AnalysisPlan> {
  const { reader, bundle, mpp, regionBase } = resources;
  const slideId = await registerSlide(resources, inputs.options.slidePath);

  const isTissueFilterDisabled = inputs.options.isTissueFilterDisabled === true;
  const tissue = isTissueFilterDisabled ? null : await readTissue(reader);
  const { grid, tiles } = planTiles({
    info: reader.info,
    mpp,
    regionBase,
    manifest: bundle.manifest,
    tissue,
  });
  const parameters = {
    ...analysisParameters({
      manifest: bundle.manifest,
      mpp,
      regionBase,
      level: grid.level,
      isTissueFilterDisabled,
    }),
    siteProfile: inputs.siteProfile,
  };
  const identity = bundleIdentity(bundle.manifest);
  const { siteProfile } = inputs;
  return { slideId, identity, parameters, level: grid.level, tiles, siteProfile };
}

function analysisInput(resources: OpenResources, plan: AnalysisPlan): AnalysisInput {
  const { manifest } = resources.bundle;
  const { siteProfile } = plan;
  return {
    slideId: plan.slideId,
    bundle: plan.identity,
    parameters: plan.parameters,
    nucleusClasses: manifest.nucleusClasses.map(({ index, name, color }) => ({
      index,
      name,
      color,
    })),
    appVersion: APP_VERSION,
    siteProfileVersion: `${siteProfile.siteId}@${siteProfile.version}`,
    isSiteProfileColdStart: siteProfile.isColdStart,
    plannedTileCount: plan.tiles.length,
  };
}

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
    // Absolute, so the app can reopen the slide from any working folder.
    path: path.resolve(slidePath),
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
  wanted: Pick<AnalysisPlan, 'slideId' | 'identity' | 'parameters'>,
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
