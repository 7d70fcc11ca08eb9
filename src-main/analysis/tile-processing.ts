/**
 * Everything that happens to one tile after inference: nuclei from its maps, the
 * nuclei it owns mapped to level-0 pixels, and its uncertainty assessment.
 */
import type { Rect } from '../../src-shared/geometry';
import type { TileNucleus } from '../../src-shared/nucleus-types';
import type { NucleiMaps } from '../inference/engine';
import { tileMapsAt, type TileMaps } from '../nuclei/tile-maps';
import { assessTile } from '../uncertainty/tile-assessment';
import {
  NUCLEUS_PIXEL_THRESHOLD,
  type TriageContext,
} from '../uncertainty/triage-context';
import type { TileUncertainty } from '../uncertainty/types';
import type { FinishedTile } from './batch-commit';
import type { StageClock } from './stage-clock';
import type { ModelTile } from './tile-reading';
import { nucleusProbabilities, typeProbabilitiesWhere } from './tile-probabilities';
import {
  listedClassProbabilities,
  offeredNuclei,
  ownedNuclei,
  toNucleusInput,
} from './tile-nuclei';

/** A tile of the plan: its index in the grid, its full and core rectangles. */
export interface PlannedTile {
  tileIndex: number;
  /** The tile with its overlap, level-0 pixels. */
  baseRect: Rect;
  /** The part that owns nuclei, level-0 pixels. */
  coreBaseRect: Rect;
  /** Tissue fraction of the core (0 to 1). */
  tissueFraction: number;
}

/** Finds nuclei in one tile's maps (tile pixels). */
export type TilePostprocessor = (maps: TileMaps) => Promise<TileNucleus[]>;

/** What {@link finishTile} needs about one inferred tile. */
export interface InferredTile {
  tile: PlannedTile;
  model: ModelTile;
  maps: TileMaps;
  /** Pooled embedding of this tile, or `null`. */
  embedding: Float32Array | null;
}

/** A batch after inference: its tiles in slot order and the maps of the whole batch. */
export interface InferredBatch {
  tiles: { tile: PlannedTile; model: ModelTile }[];
  maps: NucleiMaps;
}

/** Slot `index` of an inferred batch; its maps are views into the batch's. */
export function inferredTileAt(batch: InferredBatch, index: number): InferredTile {
  const { maps } = batch;
  const slot = batch.tiles[index];
  if (!slot) throw new RangeError(`The batch has no slot ${index}.`);
  return {
    ...slot,
    maps: tileMapsAt(maps, index),
    embedding: maps.embedding.slice(
      index * maps.embeddingDim,
      (index + 1) * maps.embeddingDim,
    ),
  };
}

/** Per-analysis settings of {@link finishTile}. */
export interface TileFinishing {
  postprocess: TilePostprocessor;
  /** `null` when the bundle's calibration does not allow triage. */
  triage: TriageContext | null;
  clock: StageClock;
}

/**
 * Post-processes and assesses one tile. The store gets the tile's offered nuclei
 * (owned, plus those centred just past its core, which the store's seam resolution
 * keeps only where no neighbour's outline of the same nucleus ranks higher); the
 * assessment counts the owned ones.
 */
export async function finishTile(
  inferred: InferredTile,
  finishing: TileFinishing,
): Promise<FinishedTile> {
  const { tile, model, maps, embedding } = inferred;
  const { clock } = finishing;

  const tileNuclei = await clock.timeAsync('postprocess', () =>
    finishing.postprocess(maps),
  );
  const owned = ownedNuclei(tileNuclei, model.placement, tile.coreBaseRect);
  const uncertainty = finishing.triage
    ? clock.time('assess', () => assessInferredTile(inferred, owned, finishing.triage!))
    : null;

  return {
    result: {
      tileIndex: tile.tileIndex,
      baseRect: tile.coreBaseRect,
      nuclei: offeredNuclei(tileNuclei, model.placement, tile.coreBaseRect).map(
        toNucleusInput,
      ),
      qualityFlags: {
        tissueFraction: tile.tissueFraction,
        flags: uncertainty?.flags ?? [],
      },
      embedding,
    },
    uncertainty,
  };
}

function assessInferredTile(
  inferred: InferredTile,
  owned: ReturnType<typeof ownedNuclei>,
  triage: TriageContext,
): TileUncertainty {
  const { tile, model, maps, embedding } = inferred;
  const { temperatures } = triage.settings;
  const np = nucleusProbabilities(maps.np, temperatures.np);
  // The type entropy counts nucleus pixels only: the rest of the type map is not read.
  const nt = maps.nt
    ? typeProbabilitiesWhere({
        nt: maps.nt,
        channels: maps.ntChannels,
        temperature: temperatures.nt ?? 1,
        isNeeded: (pixel) => !((np[pixel] as number) < NUCLEUS_PIXEL_THRESHOLD),
      })
    : null;

  return assessTile(
    {
      tileIndex: tile.tileIndex,
      tileBaseRect: tile.coreBaseRect,
      mapSizePx: maps.widthPx,
      npProbabilities: np,
      ntProbabilities: nt,
      embedding,
      tokenMeanEmbedding: null,
      rgbTile: model.rgb,
      tissueFraction: tile.tissueFraction,
      nuclei: owned.map((nucleus) => ({
        centroidBase: nucleus.centroidBase,
        classProbabilities: listedClassProbabilities(nucleus),
      })),
    },
    triage,
  );
}
