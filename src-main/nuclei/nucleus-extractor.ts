/**
 * From a tile's maps to nuclei, HoVer-Net style: nucleus probability, marker energy
 * from the hv gradients, marker-controlled watershed, small-object removal, then
 * per nucleus a contour, centroid, area, type and the uncertainty inputs.
 */
import type { TileNucleus } from '../../src-shared/nucleus-types';
import { traceContour } from './contours';
import { measureInstances, type InstanceMeasures } from './instance-measures';
import {
  computeMarkerEnergy,
  LANDSCAPE_RANGE,
  type MarkerParameters,
} from './marker-energy';
import { loadOpenCv, type OpenCv } from './opencv';
import {
  computeNucleusEntropyWhereLabelled,
  computeNucleusProbability,
  type TileMaps,
} from './tile-maps';
import { floodFromMarkers } from './watershed';

/** Settings of the post-processing, from the bundle's manifest and calibration. */
export interface ExtractorOptions {
  params: MarkerParameters;
  /** Temperatures dividing the logits before softmax; `nt` is 1 when the bundle has none. */
  npTemperature: number;
  ntTemperature: number | null;
}

/** The nuclei of one tile and its label image (label k is `nuclei[k - 1]`). */
export interface TileSegmentation {
  nuclei: TileNucleus[];
  labels: Int32Array;
  widthPx: number;
  heightPx: number;
}

/** Reusable post-processor; create once per worker with {@link NucleusExtractor.create}. */
export class NucleusExtractor {
  private probability = new Float32Array(0);
  private npEntropy = new Float32Array(0);

  private constructor(
    private readonly cv: OpenCv,
    private readonly options: ExtractorOptions,
  ) {}

  /** Loads OpenCV.js (once per process) and returns an extractor. */
  static async create(options: ExtractorOptions): Promise<NucleusExtractor> {
    const { cv } = await loadOpenCv();
    return new NucleusExtractor(cv, options);
  }

  /** Segments one tile. Coordinates of the result are tile pixels. */
  extract(maps: TileMaps): TileSegmentation {
    const { widthPx, heightPx } = maps;
    this.ensureBuffers(widthPx * heightPx);
    computeNucleusProbability(maps, this.options.npTemperature, this.probability);

    const energy = computeMarkerEnergy(
      this.cv,
      { probability: this.probability, hv: maps.hv, widthPx, heightPx },
      this.options.params,
    );
    const flooded = floodFromMarkers({
      widthPx,
      heightPx,
      elevation: energy.landscape,
      markers: energy.markers,
      mask: energy.foreground,
      elevationRange: LANDSCAPE_RANGE,
    });
    const { labels, count } = dropSmallInstances(flooded, this.options.params.minAreaPx);
    computeNucleusEntropyWhereLabelled(maps, this.options.npTemperature, {
      labels,
      entropy: this.npEntropy,
    });

    const measures = measureInstances({
      labels,
      count,
      maps,
      probability: this.probability,
      npEntropy: this.npEntropy,
      ntTemperature: this.options.ntTemperature ?? 1,
    });
    const nuclei = this.buildNuclei({ labels, widthPx }, measures);
    return { nuclei, labels, widthPx, heightPx };
  }

  private ensureBuffers(planePx: number): void {
    if (this.probability.length === planePx) return;
    this.probability = new Float32Array(planePx);
    this.npEntropy = new Float32Array(planePx);
  }

  private buildNuclei(
    image: { labels: Int32Array; widthPx: number },
    m: InstanceMeasures,
  ): TileNucleus[] {
    const nuclei: TileNucleus[] = [];
    for (let label = 1; label <= m.count; label += 1) {
      const area = m.areaPx[label] as number;
      const b = 4 * label;
      const box = {
        label,
        minX: m.bounds[b] as number,
        minY: m.bounds[b + 1] as number,
        maxX: m.bounds[b + 2] as number,
        maxY: m.bounds[b + 3] as number,
      };
      nuclei.push({
        contourTilePx: traceContour(this.cv, image, box),
        centroidTilePx: {
          x: (m.sumX[label] as number) / area,
          y: (m.sumY[label] as number) / area,
        },
        areaTilePx: area,
        ...typeOf(m, label),
        meanNucleusProbability: (m.sumProbability[label] as number) / area,
        meanNpEntropy: (m.sumNpEntropy[label] as number) / area,
      });
    }
    return nuclei;
  }
}

/**
 * The voted class and the mean renormalised type distribution; entry 0 of the
 * distribution is the background's and always 0, so entry c is nt channel c.
 */
function typeOf(
  m: InstanceMeasures,
  label: number,
): Pick<TileNucleus, 'classIndex' | 'meanClassProbabilities' | 'meanNtEntropy'> {
  const channels = m.ntChannels;
  if (channels === 0)
    return { classIndex: null, meanClassProbabilities: null, meanNtEntropy: null };
  const area = m.areaPx[label] as number;
  const offset = label * channels;
  let best = 1;
  for (let c = 2; c < channels; c += 1) {
    if ((m.votes[offset + c] as number) > (m.votes[offset + best] as number)) best = c;
  }
  const means = Array.from(
    m.sumClassProbability.subarray(offset, offset + channels),
    (s) => s / area,
  );
  return {
    classIndex: best,
    meanClassProbabilities: means,
    meanNtEntropy: (m.sumNtEntropy[label] as number) / area,
  };
}

/** Removes labels under `minAreaPx` and renumbers the rest 1..count in scan order. */
function dropSmallInstances(
  labels: Int32Array,
  minAreaPx: number,
): { labels: Int32Array; count: number } {
  let maxLabel = 0;
  for (const label of labels) if (label > maxLabel) maxLabel = label;
  const areas = new Int32Array(maxLabel + 1);
  for (const label of labels) areas[label] = (areas[label] as number) + 1;

  const renumber = new Int32Array(maxLabel + 1);
  let count = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i] as number;
    if (label === 0 || (areas[label] as number) < minAreaPx) {
      labels[i] = 0;
      continue;
    }
    if (renumber[label] === 0) renumber[label] = ++count;
    labels[i] = renumber[label] as number;
  }
  return { labels, count };
}
