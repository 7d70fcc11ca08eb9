/**
 * Collects the in-domain and out-of-domain tiles of the OOD evaluation and turns
 * their distances into figures.
 */
import path from 'node:path';
import { COLD_START_PROFILE } from '../../../src-shared/site-profile';
import type { EvaluationModel } from './evaluation-model';
import {
  makeOodTiles,
  oodRow,
  readSlideTissueTiles,
  scoreEmbedded,
  scoreTiles,
  type OodRow,
  type ScoredTile,
} from './ood-evaluation';
import type { ImageSamples } from './sample-merging';

/** OOD figures with the threshold they were measured at and what the in-domain side was. */
export interface OodFigures {
  thresholdQuantile: string;
  threshold: number;
  inDomain: {
    monusegTiles: number;
    slideTiles: number;
    /** In-domain tiles beyond the distance threshold. */
    falseAlarmRate: number;
    /**
     * In-domain tiles beyond the stricter threshold a new site starts with (the
     * cold-start profile's quantile of the same reference distances).
     */
    coldStart: { quantile: string; threshold: number; falseAlarmRate: number };
    /** In-domain tiles with any quality flag. */
    qualityFlagRate: number;
    /** Median and 95th percentile of in-domain distances, to compare with the reference. */
    distanceQ50: number;
    distanceQ95: number;
  };
  /** The bundle's reference distance quantiles (on the tiles the reference was fitted to). */
  referenceDistances: Record<string, number>;
  rows: OodRow[];
}

const FULL = { slideTiles: 48, perKind: 24 };
const SUBSET = { slideTiles: 6, perKind: 3 };

/** Options of {@link evaluateOod}. */
export interface OodRunInput {
  model: EvaluationModel;
  monuseg: readonly ImageSamples[];
  dataRoot: string;
  isSubset: boolean;
}

/** Runs the OOD evaluation; throws when the bundle has no OOD reference. */
export async function evaluateOod(input: OodRunInput): Promise<OodFigures> {
  const { model } = input;
  const ood = model.bundle.calibration.ood;
  if (!ood) throw new RangeError('The bundle has no OOD reference to evaluate.');
  const reference = toReference(ood);
  const threshold = ood.referenceDistances[ood.thresholdQuantile];
  const sizes = input.isSubset ? SUBSET : FULL;
  const targetMpp = model.bundle.manifest.input.targetMpp;
  const score = embeddedScorer(reference, targetMpp);

  const known = input.monuseg.filter((s) => s.image.organ !== 'brain');
  const brain = input.monuseg.filter((s) => s.image.organ === 'brain');
  const slideTiles = await readSlideTissueTiles(
    path.join(input.dataRoot, 'slides', 'CMU-1-Small-Region.svs'),
    { targetMpp, tileSizePx: model.tileSizePx, limit: sizes.slideTiles },
  );
  const inDomain = [...score(known), ...(await scoreTiles(model, slideTiles, reference))];

  const sources = [...known.flatMap((s) => s.tiles), ...slideTiles];
  const rows = await syntheticRows({
    model,
    sources,
    perKind: sizes.perKind,
    reference,
    inDomain,
    threshold,
  });
  if (brain.length > 0) {
    rows.push(
      oodRow('monuseg brain (natural)', { inDomain, ood: score(brain) }, threshold),
    );
  }
  return {
    thresholdQuantile: ood.thresholdQuantile,
    threshold,
    inDomain: {
      monusegTiles: known.reduce((n, s) => n + s.tiles.length, 0),
      slideTiles: slideTiles.length,
      ...inDomainFigures(inDomain, threshold),
      coldStart: coldStartFigures(inDomain, ood.referenceDistances),
    },
    referenceDistances: ood.referenceDistances,
    rows,
  };
}

function inDomainFigures(inDomain: readonly ScoredTile[], threshold: number) {
  const share = (pick: (s: ScoredTile) => boolean) =>
    inDomain.filter(pick).length / inDomain.length;
  const distances = inDomain.map((s) => s.distance);
  return {
    falseAlarmRate: share((s) => s.distance > threshold),
    qualityFlagRate: share((s) => s.isQualityFlagged),
    distanceQ50: quantile(distances, 0.5),
    distanceQ95: quantile(distances, 0.95),
  };
}

function coldStartFigures(
  inDomain: readonly ScoredTile[],
  referenceDistances: Record<string, number>,
) {
  const quantileName = COLD_START_PROFILE.oodQuantile ?? 'q99';
  const threshold = referenceDistances[quantileName] ?? NaN;
  const alarms = inDomain.filter((s) => s.distance > threshold).length;
  return {
    quantile: quantileName,
    threshold,
    falseAlarmRate: alarms / inDomain.length,
  };
}

/** Linear-interpolated quantile (numpy's default method). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const weight = position - lower;
  return (sorted[lower] ?? NaN) * (1 - weight) + (sorted[upper] ?? NaN) * weight;
}

function toReference(ood: { dim: number; mean: number[]; precision: number[] }) {
  return {
    dim: ood.dim,
    mean: Float64Array.from(ood.mean),
    precision: Float64Array.from(ood.precision),
  };
}

function embeddedScorer(reference: Parameters<typeof scoreTiles>[2], targetMpp: number) {
  return (images: readonly ImageSamples[]) =>
    scoreEmbedded({
      tiles: images.flatMap((s) => s.tiles),
      embeddings: images.flatMap((s) => s.embeddings),
      reference,
      targetMpp,
    });
}

async function syntheticRows(input: {
  model: EvaluationModel;
  sources: Parameters<typeof makeOodTiles>[0];
  perKind: number;
  reference: Parameters<typeof scoreTiles>[2];
  inDomain: ScoredTile[];
  threshold: number;
}): Promise<OodRow[]> {
  const rows: OodRow[] = [];
  const pooled: ScoredTile[] = [];
  for (const { kind, tiles } of makeOodTiles(input.sources, input.perKind)) {
    const ood = await scoreTiles(input.model, tiles, input.reference);
    pooled.push(...ood);
    rows.push(oodRow(kind, { inDomain: input.inDomain, ood }, input.threshold));
  }
  rows.unshift(
    oodRow('all synthetic', { inDomain: input.inDomain, ood: pooled }, input.threshold),
  );
  return rows;
}
