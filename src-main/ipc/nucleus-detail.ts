/** The contract's view of one nucleus, from the store's decoded chunk entry. */
import type { Point } from '../../src-shared/geometry';
import type { NucleusDetail } from '../../src-shared/ipc-result-schemas';
import type { AppServices } from './app-services';
import { analysisStoreId } from './store-ids';
import { analysisMpp } from '../store/analysis-mpp';
import { storedPredictionSet } from '../uncertainty/stored-prediction-set';
import { readSlideSummary } from '../uncertainty/triage-store';

function pointsOf(polygonBase: Float32Array): Point[] {
  const points: Point[] = [];
  for (let i = 0; i + 1 < polygonBase.length; i += 2) {
    points.push({ x: polygonBase[i] ?? 0, y: polygonBase[i + 1] ?? 0 });
  }
  return points;
}

/** The nucleus whose outline contains `pointBase`, or `null`. */
export function nucleusDetail(
  services: AppServices,
  analysisId: string,
  pointBase: Point,
): NucleusDetail | null {
  const { store } = services;
  const analysis = store.getAnalysis(analysisStoreId(analysisId));
  const found = store.nucleusAt(analysis.id, pointBase);
  if (!found) return null;

  const mpp = analysisMpp(analysis, store.getSlide(analysis.slideId).mpp);
  const isTyped = found.typeProbabilities.length > 0;
  const className = analysis.nucleusClasses.find(
    (c) => c.index === found.typeIndex,
  )?.name;
  return {
    tileIndex: found.tileIndex,
    indexInTile: found.indexInTile,
    centroidBase: found.centroidBase,
    contourBase: pointsOf(found.polygonBase),
    areaBasePx: found.areaPx,
    areaMicrons2: mpp ? found.areaPx * mpp.x * mpp.y : null,
    classIndex: isTyped && found.typeIndex > 0 ? found.typeIndex : null,
    className: isTyped ? (className ?? null) : null,
    classProbabilities: isTyped ? Array.from(found.typeProbabilities) : null,
    nucleusProbability: found.nucleusProbability,
    npEntropy: found.nucleusEntropy,
    ntEntropy: isTyped ? found.typeEntropy : null,
    predictionSet: isTyped
      ? storedPredictionSet(
          found.typeProbabilities,
          analysis.nucleusClasses,
          readSlideSummary(store.db, analysis.id)?.settings ?? null,
        )
      : null,
  };
}
