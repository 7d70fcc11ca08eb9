/**
 * Handlers that read an analysis's results for the viewer: nuclei in a viewport (raw
 * chunks or per-tile counts), the nucleus under a point, heat-map grids and the ROI
 * worklist.
 */
import { decodeNucleiChunk } from '../../../src-shared/nuclei-chunk';
import type {
  GridLayer,
  NucleiViewport,
  UncertaintyGrid,
} from '../../../src-shared/ipc-result-schemas';
import type { Rect } from '../../../src-shared/geometry';
import type { AppServices } from '../app-services';
import type { IpcHandlers } from '../ipc-router';
import { roiWithReview } from '../roi-reviews';
import { analysisStoreId, toArrayBuffer } from '../store-ids';
import { readRegions, readRois, type StoredRegion } from '../triage-queries';
import { nucleusDetail } from '../nucleus-detail';

type ResultHandlers = Pick<
  IpcHandlers,
  'nuclei:viewport' | 'nuclei:at' | 'uncertainty:grid' | 'rois:list'
>;

/**
 * Beyond 4 level-0 pixels per screen pixel a nucleus (about 8 µm, 16-32 px at
 * 0.25-0.5 mpp) is 4-8 screen pixels wide: outlines become noise, counts are clearer.
 */
const POLYGON_MAX_BASE_PER_SCREEN_PX = 4;

function densityOf(
  services: AppServices,
  analysisId: number,
  viewportBase: Rect,
): NucleiViewport {
  const density = services.store.queryNucleusDensity(analysisId, viewportBase);
  return {
    kind: 'density',
    classCount: density.classCount,
    tileCount: density.tileCount,
    tileRectsBase: toArrayBuffer(density.tileRectsBase),
    countsByType: toArrayBuffer(density.countsByType),
    totalNuclei: density.totalNuclei,
  };
}

function nucleiInViewport(
  services: AppServices,
  request: {
    analysisId: string;
    viewportBase: Rect;
    basePerScreenPx: number;
    maxNuclei: number;
  },
): NucleiViewport {
  const analysisId = analysisStoreId(request.analysisId);
  services.store.getAnalysis(analysisId);
  if (request.basePerScreenPx > POLYGON_MAX_BASE_PER_SCREEN_PX) {
    return densityOf(services, analysisId, request.viewportBase);
  }

  const found = services.store.queryNucleiInViewport(analysisId, request.viewportBase);
  if (found.nucleusCount > request.maxNuclei) {
    return densityOf(services, analysisId, request.viewportBase);
  }
  const chunks = found.chunkByteOffsets.map((offset, k) => {
    const byteLength = found.chunkByteLengths[k] ?? 0;
    const view = decodeNucleiChunk(found.buffer, offset, byteLength);
    return {
      tileIndex: found.chunkTileIndices[k] ?? 0,
      nucleusCount: view.nucleusCount,
      bytes: found.buffer.slice(offset, offset + byteLength),
    };
  });
  return { kind: 'nuclei', chunks };
}

function layerValue(region: StoredRegion, layer: GridLayer): number {
  const { measures } = region;
  if (measures.tissueTileCount === 0) return Number.NaN;
  if (layer === 'verdict')
    return ['reliable', 'review', 'out-of-domain'].indexOf(region.verdict);
  if (layer === 'ood') return measures.oodDistanceMax ?? Number.NaN;
  return measures.ntEntropyMean ?? measures.npEntropyMean ?? Number.NaN;
}

const LAYER_UNITS: Record<GridLayer, string> = {
  aleatoric: 'mean normalised entropy of the nucleus types (0 to 1)',
  ood: 'largest Mahalanobis distance to the training features',
  verdict: '0 reliable, 1 review, 2 out-of-domain',
};

function uncertaintyGrid(
  services: AppServices,
  analysisId: string,
  layer: GridLayer,
): UncertaintyGrid {
  const id = analysisStoreId(analysisId);
  services.store.getAnalysis(id);
  const regions = readRegions(services.store, id);
  const cols = Math.max(0, ...regions.map((r) => r.col + 1));
  const rows = Math.max(0, ...regions.map((r) => r.row + 1));
  const first = regions[0];
  const cellSizeBase = Math.max(1, ...regions.map((r) => r.cellBaseRect.width));
  const values = new Float32Array(cols * rows).fill(Number.NaN);
  for (const region of regions)
    values[region.row * cols + region.col] = layerValue(region, layer);

  const finite = [...values].filter(Number.isFinite);
  return {
    layer,
    originBase: first
      ? {
          x: first.cellBaseRect.x - first.col * cellSizeBase,
          y: first.cellBaseRect.y - first.row * cellSizeBase,
        }
      : { x: 0, y: 0 },
    cellSizeBase,
    cols,
    rows,
    values: values.buffer,
    unit: LAYER_UNITS[layer],
    range:
      finite.length > 0 ? { min: Math.min(...finite), max: Math.max(...finite) } : null,
  };
}

/** The result handlers. */
export function createResultHandlers(services: AppServices): ResultHandlers {
  return {
    'nuclei:viewport': (request) => nucleiInViewport(services, request),
    'nuclei:at': (request) =>
      nucleusDetail(services, request.analysisId, request.pointBase),
    'uncertainty:grid': (request) =>
      uncertaintyGrid(services, request.analysisId, request.layer),
    'rois:list': (request) => {
      const id = analysisStoreId(request.analysisId);
      services.store.getAnalysis(id);
      const reviews = services.store.reviews.listRoiReviews(id);
      return readRois(services.store, id).map((roi) => roiWithReview(id, roi, reviews));
    },
  };
}
