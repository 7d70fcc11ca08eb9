/**
 * The nuclei of an analysis as export rows, decoded tile by tile, with stable
 * ids and the measurements a pathologist reads (area in µm² when the slide is
 * calibrated, probabilities, entropies).
 */
import { createHash } from 'node:crypto';
import { decodeNucleiChunk, nucleusPolygonBase } from '../../src-shared/nuclei-chunk';
import type { ResultStore } from '../store/index';
import type { AnalysisRecord, SlideRecord, StoredNucleusClass } from '../store/index';
import { analysisMpp } from '../store/analysis-mpp';

/** Everything an exporter needs to know about the analysis it writes. */
export interface ExportContext {
  store: ResultStore;
  analysis: AnalysisRecord;
  slide: SlideRecord;
  /** Class by index; index 0 (untyped) is absent. */
  classes: Map<number, StoredNucleusClass>;
  /** µm² per level-0 px², or `null` when the slide has no calibration. */
  micronsSquaredPerPx: number | null;
}

/** One nucleus, ready to format. Coordinates are level-0 px. */
export interface ExportNucleus {
  id: string;
  tileIndex: number;
  polygonBase: Float32Array;
  centroidBaseX: number;
  centroidBaseY: number;
  areaPx: number;
  /** `null` without calibration. */
  areaMicrons2: number | null;
  typeIndex: number;
  typeClass: StoredNucleusClass | null;
  /** Indexed by class index (0 is background/untyped); empty when untyped. */
  typeProbabilities: Float32Array;
  nucleusProbability: number;
  nucleusEntropy: number;
  typeEntropy: number;
}

/** Builds the context of `analysisId` (throws STORE_NOT_FOUND when absent). */
export function exportContext(store: ResultStore, analysisId: number): ExportContext {
  const analysis = store.getAnalysis(analysisId);
  const slide = store.getSlide(analysis.slideId);
  const mpp = analysisMpp(analysis, slide.mpp);
  return {
    store,
    analysis,
    slide,
    classes: new Map(analysis.nucleusClasses.map((c) => [c.index, c])),
    micronsSquaredPerPx: mpp ? mpp.x * mpp.y : null,
  };
}

// Fixed namespace of this app's nucleus ids (RFC 4122 version 5, name-based):
// exporting the same analysis twice gives the same ids.
const NAMESPACE = Buffer.from('6f1c2a4e9b3d4c8aa1e07d52c4b9f310', 'hex');

/**
 * A name-based (version 5) UUID for one exported object of the analysis; `key`
 * names the object within it (e.g. `roi/1/3`), so ids are stable across exports.
 */
export function exportUuid(context: ExportContext, key: string): string {
  const name = `${context.slide.contentId}/${context.analysis.startedAt}/${context.analysis.id}/${key}`;
  const bytes = createHash('sha1')
    .update(NAMESPACE)
    .update(name)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A name-based (version 5) UUID for one nucleus of one analysis. */
export function nucleusUuid(
  context: ExportContext,
  tileIndex: number,
  index: number,
): string {
  return exportUuid(context, `${tileIndex}/${index}`);
}

/** Yields every nucleus of the analysis in tile order, one decoded tile at a time. */
export function* exportNuclei(context: ExportContext): IterableIterator<ExportNucleus> {
  for (const stored of context.store.iterateNucleiChunks(context.analysis.id)) {
    const chunk = decodeNucleiChunk(stored.buffer);
    const c = chunk.classCount;
    for (let i = 0; i < chunk.nucleusCount; i++) {
      const typeIndex = chunk.typeIndices[i]!;
      const areaPx = chunk.areasPx[i]!;
      yield {
        id: nucleusUuid(context, stored.tileIndex, i),
        tileIndex: stored.tileIndex,
        polygonBase: nucleusPolygonBase(chunk, i),
        centroidBaseX: chunk.centroidsBase[2 * i]!,
        centroidBaseY: chunk.centroidsBase[2 * i + 1]!,
        areaPx,
        areaMicrons2:
          context.micronsSquaredPerPx === null
            ? null
            : areaPx * context.micronsSquaredPerPx,
        typeIndex,
        typeClass: context.classes.get(typeIndex) ?? null,
        typeProbabilities: chunk.typeProbabilities.subarray(i * c, (i + 1) * c),
        nucleusProbability: chunk.nucleusProbabilities[i]!,
        nucleusEntropy: chunk.nucleusEntropies[i]!,
        typeEntropy: chunk.typeEntropies[i]!,
      };
    }
  }
}

/** Rounds to 1/100 px or to 4 significant decimals: float32 noise is not data. */
export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
