/**
 * What the seam tests share: a CMU-1 region of 4 x 3 model tiles at a calibration
 * that puts every tile on one pixel lattice, the region's finished tiles from the
 * real model (storing the nuclei each tile owns, or those it offers past its core),
 * and committing them to a fresh store in a chosen order.
 */
import path from 'node:path';
import type { Rect } from '../../../src-shared/geometry';
import {
  chooseMpp,
  chooseRegion,
  planTiles,
} from '../../../src-main/analysis/analysis-plan';
import {
  commitFinishedBatch,
  type FinishedTile,
} from '../../../src-main/analysis/batch-commit';
import { createPostprocessor } from '../../../src-main/analysis/postprocessor';
import { StageClock } from '../../../src-main/analysis/stage-clock';
import { offeredNuclei, toNucleusInput } from '../../../src-main/analysis/tile-nuclei';
import { finishTile } from '../../../src-main/analysis/tile-processing';
import { readModelTile } from '../../../src-main/analysis/tile-reading';
import { loadBundle, type LoadedBundle } from '../../../src-main/inference/bundle-loader';
import { NucleiEngine } from '../../../src-main/inference/engine';
import { BatchBuilder } from '../../../src-main/inference/preprocess';
import { tileMapsAt } from '../../../src-main/nuclei/tile-maps';
import { openSlide } from '../../../src-main/slides/open-slide';
import type { SlideReader } from '../../../src-main/slides/slide-reader';
import { readAllNuclei } from '../../../src-main/analysis/stored-nuclei';
import { openStore } from '../../../src-main/store/store';
import type { StoredNucleusClass } from '../../../src-main/store/store-types';
import { atModelScale, BUNDLE_PATH, CMU1_PATH } from './analysis-fixture';

/** Dense epithelium of CMU-1 (level-0 px): 4 x 3 model tiles of 256 px. */
export const SEAM_REGION: Rect = atModelScale({
  x: 1000,
  y: 700,
  width: 368,
  height: 256,
});

/**
 * The calibration the seam tests analyse CMU-1 with. Its own 0.499 mpp puts tile
 * k's origin on a whole level-0 pixel with a pitch of 129/256 px, so every tile has
 * its own sub-pixel lattice and no single canvas can hold all tiles' pixels
 * unresampled; IoU between the two analyses would then measure resampling (a
 * half-pixel shift alone costs a 6 px nucleus ~0.1 IoU), not seams. At 0.5 mpp
 * every tile origin and pixel falls on one half-pixel lattice, the stitched
 * canvas's, so the comparison isolates what tiling adds.
 */
export const SEAM_MPP_X = 0.5;

/** The region's finished tiles (in tile order) and the bundle's nucleus classes. */
export interface SeamTiles {
  finished: FinishedTile[];
  nucleusClasses: StoredNucleusClass[];
}

/**
 * Runs the region's tiles through the model and post-processing as an analysis
 * does; with `isOffered`, each tile's result holds its offered nuclei instead.
 */
export async function finishSeamTiles(isOffered: boolean): Promise<SeamTiles> {
  const reader = await openSlide(CMU1_PATH, { useCache: false });
  const bundle = await loadBundle(BUNDLE_PATH);
  const engine = await NucleiEngine.create(bundle);
  try {
    const finished = await finishRegion({ reader, bundle, engine, isOffered });
    const nucleusClasses = bundle.manifest.nucleusClasses.map(
      ({ index, name, color }) => ({
        index,
        name,
        color,
      }),
    );
    return { finished, nucleusClasses };
  } finally {
    await engine.release();
    await reader.close();
  }
}

async function finishRegion(parts: {
  reader: SlideReader;
  bundle: LoadedBundle;
  engine: NucleiEngine;
  isOffered: boolean;
}): Promise<FinishedTile[]> {
  const { reader, bundle, engine } = parts;
  const { manifest, calibration } = bundle;
  const { grid, tiles } = planTiles({
    info: reader.info,
    mpp: chooseMpp(reader.info, SEAM_MPP_X),
    regionBase: chooseRegion(reader.info, SEAM_REGION),
    manifest,
    tissue: null,
  });
  const { tileSizePx, normalisation } = manifest.input;
  const builder = new BatchBuilder(normalisation, tileSizePx, 1);
  const postprocessor = await createPostprocessor({
    params: manifest.postprocessing,
    temperatures: calibration.temperature,
  });
  const finishing = {
    postprocess: postprocessor.run,
    triage: null,
    clock: new StageClock(),
  };

  const finished: FinishedTile[] = [];
  for (const tile of tiles) {
    const model = await readModelTile(reader, {
      baseRect: tile.baseRect,
      level: grid.level,
      tileSizePx,
    });
    builder.writeTile({ ...model.rgb, channels: 3 }, 0);
    const maps = tileMapsAt(await engine.run(builder.view(1), 1), 0);
    const done = await finishTile({ tile, model, maps, embedding: null }, finishing);
    if (parts.isOffered) {
      const offered = offeredNuclei(
        await postprocessor.run(maps),
        model.placement,
        tile.coreBaseRect,
      );
      done.result.nuclei = offered.map(toNucleusInput);
    }
    finished.push(done);
  }
  await postprocessor.close();
  return finished;
}

/** What a store holds after a commit order: each tile's chunk bytes and the counts. */
export interface CommittedSeams {
  chunksByTile: Map<number, string>;
  /** Every stored outline, flat rings in level-0 px. */
  polygonsBase: Float32Array[];
  nucleusCount: number;
  densityTotal: number;
}

/**
 * Commits the finished tiles to a new store in `folder`, one batch per entry of
 * `batches` (positions in `tiles.finished`), and reads back what was stored.
 */
export function commitInBatches(
  folder: string,
  tiles: SeamTiles,
  batches: readonly (readonly number[])[],
): CommittedSeams {
  const { finished } = tiles;
  const store = openStore(path.join(folder, `order-${batches.flat().join('-')}.db`));
  try {
    const slide = store.upsertSlide({
      contentId: 'e'.repeat(64),
      path: CMU1_PATH,
      format: 'aperio-svs',
      widthPx: 2220,
      heightPx: 2967,
      mpp: { x: SEAM_MPP_X, y: SEAM_MPP_X, source: 'user' },
    });
    const analysis = store.createAnalysis({
      slideId: slide.id,
      bundle: { id: 'seam-test', version: '1', sha256: 'f'.repeat(64) },
      parameters: { regionBase: SEAM_REGION },
      nucleusClasses: tiles.nucleusClasses,
      appVersion: 'seam-test',
      siteProfileVersion: null,
      plannedTileCount: finished.length,
    });
    for (const batch of batches) {
      commitFinishedBatch(
        store,
        analysis.id,
        batch.map((i) => finished[i]!),
      );
    }
    return readCommitted(store, analysis.id);
  } finally {
    store.close();
  }
}

function readCommitted(
  store: ReturnType<typeof openStore>,
  analysisId: number,
): CommittedSeams {
  const chunksByTile = new Map<number, string>();
  for (const stored of store.iterateNucleiChunks(analysisId)) {
    chunksByTile.set(stored.tileIndex, Buffer.from(stored.buffer).toString('base64'));
  }
  return {
    chunksByTile,
    polygonsBase: readAllNuclei(store, analysisId).map((n) => n.polygonBase),
    nucleusCount: store.getAnalysis(analysisId).nucleusCount,
    densityTotal: store.queryNucleusDensity(analysisId, null).totalNuclei,
  };
}
