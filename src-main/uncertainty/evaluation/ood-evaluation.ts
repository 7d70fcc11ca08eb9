/**
 * OOD figures: Mahalanobis distances of in-domain tiles (held-out MoNuSeg test tiles
 * and CMU-1 tissue read through the slide layer) against synthetic out-of-domain
 * tiles made from them, per kind and pooled, plus how often the quality checks and
 * the distance threshold catch each kind.
 */
import { COLD_START_PROFILE } from '../../../src-shared/site-profile';
import { readModelTile } from '../../analysis/tile-reading';
import { openSlide } from '../../slides/open-slide';
import { mahalanobisDistance, type GaussianReference } from '../mahalanobis';
import { auroc, fprAtTpr } from '../ood-metrics';
import { measureTileColour, qualityFlagsFor } from '../quality';
import type { RgbTile } from '../types';
import type { EvaluationModel } from './evaluation-model';
import {
  makeSyntheticOod,
  SYNTHETIC_OOD_KINDS,
  type SyntheticOodKind,
} from './synthetic-inputs';

/** Detection figures of one OOD kind (or all kinds pooled) against the in-domain tiles. */
export interface OodRow {
  kind: SyntheticOodKind | 'all synthetic' | 'monuseg brain (natural)';
  samples: number;
  auroc: number;
  fprAt95Tpr: number;
  /** Fraction beyond the bundle's OOD threshold. */
  beyondThreshold: number;
  /** Fraction with any quality flag. */
  qualityFlagged: number;
  /** Fraction caught by either. */
  caught: number;
}

/** An in-domain or OOD tile with its measured distance and quality flags. */
export interface ScoredTile {
  distance: number;
  isQualityFlagged: boolean;
}

type Reference = Pick<GaussianReference, 'dim' | 'mean' | 'precision'>;

/** Reads up to `limit` tissue tiles of CMU-1 at the model's mpp through the slide layer. */
export async function readSlideTissueTiles(
  slidePath: string,
  options: { targetMpp: number; tileSizePx: number; limit: number },
): Promise<RgbTile[]> {
  const reader = await openSlide(slidePath, { useCache: false });
  try {
    const mpp = reader.info.mpp;
    if (!mpp) throw new RangeError('The in-domain evaluation slide must record its mpp.');
    const baseEdgePx = Math.round((options.tileSizePx * options.targetMpp) / mpp.x);
    const tiles: RgbTile[] = [];
    for (
      let y = 0;
      y + baseEdgePx <= reader.info.heightPx && tiles.length < options.limit;
      y += baseEdgePx
    ) {
      for (
        let x = 0;
        x + baseEdgePx <= reader.info.widthPx && tiles.length < options.limit;
        x += baseEdgePx
      ) {
        const baseRect = { x, y, width: baseEdgePx, height: baseEdgePx };
        const tile = await readModelTile(reader, {
          baseRect,
          level: 0,
          tileSizePx: options.tileSizePx,
        });
        if (measureTileColour(tile.rgb).tissuePixelFraction >= 0.6) tiles.push(tile.rgb);
      }
    }
    return tiles;
  } finally {
    await reader.close();
  }
}

/** Runs the model on tiles and scores each by distance and quality flags. */
export async function scoreTiles(
  model: EvaluationModel,
  tiles: readonly RgbTile[],
  reference: Reference,
): Promise<ScoredTile[]> {
  const outputs = await model.runTiles(tiles);
  const targetMpp = model.bundle.manifest.input.targetMpp;
  return scoreEmbedded({
    tiles,
    embeddings: outputs.map((o) => o.embedding),
    reference,
    targetMpp,
  });
}

/** Scores tiles whose embeddings are already known. */
export function scoreEmbedded(input: {
  tiles: readonly RgbTile[];
  embeddings: readonly Float32Array[];
  reference: Reference;
  targetMpp: number;
}): ScoredTile[] {
  return input.tiles.map((tile, i) => ({
    distance: mahalanobisDistance(input.embeddings[i]!, input.reference),
    isQualityFlagged: isFlagged(tile, input.targetMpp),
  }));
}

function isFlagged(tile: RgbTile, targetMpp: number): boolean {
  const colour = measureTileColour(tile);
  const { flags } = qualityFlagsFor({
    rgbTile: tile,
    tissueFraction: colour.tissuePixelFraction,
    slideMppX: targetMpp,
    targetMpp,
    limits: COLD_START_PROFILE.quality,
  });
  return flags.length > 0;
}

/** Makes `perKind` synthetic OOD tiles of every kind from the in-domain tiles. */
export function makeOodTiles(sources: readonly RgbTile[], perKind: number) {
  return SYNTHETIC_OOD_KINDS.map((kind, k) => ({
    kind,
    tiles: Array.from({ length: perKind }, (_, i) =>
      makeSyntheticOod(kind, sources[(i * 7 + k) % sources.length]!, 1000 * k + i),
    ),
  }));
}

/** One row of figures for `ood` against `inDomain`. */
export function oodRow(
  kind: OodRow['kind'],
  scored: { inDomain: readonly ScoredTile[]; ood: readonly ScoredTile[] },
  threshold: number,
): OodRow {
  const inDistances = scored.inDomain.map((s) => s.distance);
  const oodDistances = scored.ood.map((s) => s.distance);
  const share = (pick: (s: ScoredTile) => boolean) =>
    scored.ood.filter(pick).length / scored.ood.length;
  return {
    kind,
    samples: scored.ood.length,
    auroc: auroc(inDistances, oodDistances),
    fprAt95Tpr: fprAtTpr(inDistances, oodDistances),
    beyondThreshold: share((s) => s.distance > threshold),
    qualityFlagged: share((s) => s.isQualityFlagged),
    caught: share((s) => s.distance > threshold || s.isQualityFlagged),
  };
}
