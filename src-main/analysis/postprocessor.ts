/**
 * The post-processing stage's engine: HoVer-Net post-processing of one tile's maps
 * into nuclei (tile pixels).
 */
import type { BundleManifest } from '../../src-shared/bundle-manifest';
import { NucleusExtractor } from '../nuclei/nucleus-extractor';
import type { TilePostprocessor } from './tile-processing';

/** Settings shared by every tile of an analysis. */
export interface PostprocessorOptions {
  params: BundleManifest['postprocessing'];
  /** Temperatures in force for the analysis (`nt` is `null` without types). */
  temperatures: { np: number; nt: number | null };
}

/** A running post-processor; `close` releases what it holds. */
export interface Postprocessor {
  run: TilePostprocessor;
  close(): Promise<void>;
}

/**
 * Post-processes on the calling thread; the analysis runs one per finishing thread
 * (`tile-finishing.ts`), or one on its own thread when it has none.
 */
export async function createPostprocessor(
  options: PostprocessorOptions,
): Promise<Postprocessor> {
  const extractor = await NucleusExtractor.create({
    params: options.params,
    npTemperature: options.temperatures.np,
    ntTemperature: options.temperatures.nt,
  });
  return {
    run: async (maps) => extractor.extract(maps).nuclei,
    close: async () => undefined,
  };
}
