/**
 * Deterministic synthetic tile results (elliptical nuclei on a square tile
 * grid) for the store's benchmarks and tests. Each tile depends only on the seed
 * and its index, so a resumed run reproduces exactly what a single run writes.
 */
import type { Mpp } from '../../src-shared/slide-types';
import type { NucleusInput, SlideInput, TileResultInput } from './store-types';
import { seededRandom } from '../../src-shared/seeded-random';

/** Shape of a synthetic slide. */
export interface SyntheticSlideSpec {
  tileSizePx: number;
  tileColumns: number;
  tileRows: number;
  nucleiPerTile: number;
  /** Type classes excluding index 0; 0 for an untyped model. */
  typeClassCount: number;
  verticesPerNucleus: number;
  seed: number;
}

/** The slide row of a synthetic slide named `name`, sized to `spec`'s tile grid. */
export function syntheticSlideInput(
  name: string,
  spec: SyntheticSlideSpec,
  mpp: Mpp | null = null,
): SlideInput {
  return {
    contentId: name,
    path: `/synthetic/${name}.svs`,
    format: 'synthetic',
    widthPx: spec.tileColumns * spec.tileSizePx,
    heightPx: spec.tileRows * spec.tileSizePx,
    mpp,
  };
}

function syntheticNucleus(
  random: () => number,
  spec: SyntheticSlideSpec,
  tileOrigin: { x: number; y: number },
): NucleusInput {
  const centroidBaseX = tileOrigin.x + random() * spec.tileSizePx;
  const centroidBaseY = tileOrigin.y + random() * spec.tileSizePx;
  const radiusX = 3 + random() * 6;
  const radiusY = 3 + random() * 6;
  const polygonBase = new Float32Array(2 * spec.verticesPerNucleus);
  for (let k = 0; k < spec.verticesPerNucleus; k++) {
    const angle = (2 * Math.PI * k) / spec.verticesPerNucleus;
    polygonBase[2 * k] = centroidBaseX + radiusX * Math.cos(angle);
    polygonBase[2 * k + 1] = centroidBaseY + radiusY * Math.sin(angle);
  }

  const classes = spec.typeClassCount;
  const typeIndex = classes === 0 ? 0 : 1 + Math.floor(random() * classes);
  const typeProbabilities = new Float32Array(classes === 0 ? 0 : classes + 1);
  if (classes > 0) typeProbabilities[typeIndex] = 0.5 + random() * 0.5;
  return {
    polygonBase,
    centroidBaseX,
    centroidBaseY,
    areaPx: Math.PI * radiusX * radiusY,
    typeIndex,
    typeProbabilities,
    nucleusProbability: 0.5 + random() * 0.5,
    nucleusEntropy: random() * 0.7,
    typeEntropy: classes === 0 ? 0 : random() * 1.5,
  };
}

/** The result of tile `tileIndex` (row-major over the grid). */
export function syntheticTile(
  spec: SyntheticSlideSpec,
  tileIndex: number,
): TileResultInput {
  const random = seededRandom(spec.seed * 1_000_003 + tileIndex);
  const tileOrigin = {
    x: (tileIndex % spec.tileColumns) * spec.tileSizePx,
    y: Math.floor(tileIndex / spec.tileColumns) * spec.tileSizePx,
  };
  const nuclei = Array.from({ length: spec.nucleiPerTile }, () =>
    syntheticNucleus(random, spec, tileOrigin),
  );
  return {
    tileIndex,
    baseRect: { ...tileOrigin, width: spec.tileSizePx, height: spec.tileSizePx },
    nuclei,
    qualityFlags: { tissueFraction: Math.round(random() * 100) / 100 },
    embedding: Float32Array.from({ length: 8 }, () => random()),
  };
}

/** Classes matching a spec, PanNuke-like names and colours. */
export function syntheticClasses(spec: SyntheticSlideSpec) {
  const names = ['neoplastic', 'inflammatory', 'connective', 'dead', 'epithelial'];
  const colors = ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#ff00ff'];
  return Array.from({ length: spec.typeClassCount }, (_, i) => ({
    index: i + 1,
    name: names[i % names.length]!,
    color: colors[i % colors.length]!,
  }));
}
