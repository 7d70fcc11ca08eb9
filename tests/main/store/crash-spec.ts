import type { SyntheticSlideSpec } from '../../../src-main/store/synthetic-results';

/** The slide the crash test's writer analyses: about 1,000 tiles of 60 nuclei. */
export const CRASH_SPEC: SyntheticSlideSpec = {
  tileSizePx: 256,
  tileColumns: 40,
  tileRows: 25,
  nucleiPerTile: 60,
  typeClassCount: 5,
  verticesPerNucleus: 16,
  seed: 11,
};
