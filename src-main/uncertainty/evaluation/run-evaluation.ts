/**
 * The uncertainty evaluation end to end, on data the bundle never trained or
 * calibrated on, with the bundle's real ONNX model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../logging/logger';
import type { ConformalScore } from '../conformal';
import { fitTemperature } from '../temperature';
import {
  conformalRow,
  npCalibrationRow,
  ntCalibrationRow,
  type CalibrationRow,
  type ConformalRow,
} from './evaluation-figures';
import { EvaluationModel } from './evaluation-model';
import {
  monusegTestImages,
  parseOrganLabels,
  typedHeldOutImages,
  type HeldOutImage,
} from './held-out-data';
import { resampleLabelsNearest } from '../../evaluation/image-resampling';
import { imageSize, readLabelCrop } from './image-tiles';
import {
  mergePixelSamples,
  mergeNucleusSamples,
  type ImageSamples,
} from './sample-merging';
import { npPixelSamples } from './label-samples';
import {
  fitNucleusTemperature,
  mergeNucleusPixels,
  nucleusDistributions,
  typedNucleusPixels,
} from './nucleus-pixels';
import { evaluateOod, type OodFigures } from './ood-run';

const log = createLogger('uncertainty');

/** Pixel grid step for nucleus-map samples (neighbouring pixels are nearly duplicates). */
const PIXEL_STRIDE_PX = 3;

/** What to evaluate and where the data is. */
export interface EvaluationOptions {
  bundleFolder: string;
  dataRoot: string;
  /** A small subset (a few images and tiles) for the test suite. */
  isSubset: boolean;
  threads: number;
}

/** Everything the evaluation measured, with the data each figure is on. */
export interface EvaluationReport {
  bundle: { id: string; version: string };
  isSubset: boolean;
  data: { typedTest: string[]; monusegTest: string[] };
  calibration: CalibrationRow[];
  /**
   * Temperatures refitted on the held-out data as the bundle tools fit them, for
   * comparison only: np by NLL on monuseg/test pixels, nt by the Brier score on the
   * typed test split's nuclei (`null` without any).
   */
  heldOutOptimalTemperature: { np: number; nt: number | null };
  conformal: ConformalRow[];
  conformalSplit: string;
  classNames: Record<number, string>;
  ood: OodFigures;
}

/** Runs the evaluation; the model session is released however it ends. */
export async function runEvaluation(
  options: EvaluationOptions,
): Promise<EvaluationReport> {
  const startedMs = performance.now();
  const model = await EvaluationModel.open(options.bundleFolder, options.threads);
  try {
    const report = await evaluateWith(model, options);
    log.info('evaluation.done', {
      isSubset: options.isSubset,
      durationMs: Math.round(performance.now() - startedMs),
    });
    return report;
  } finally {
    await model.close();
  }
}

function pickImages(
  options: EvaluationOptions,
  calibration: EvaluationModel['bundle']['calibration'],
) {
  const organs = parseOrganLabels(
    readFileSync(
      path.join(options.dataRoot, 'monuseg', 'test', 'organ_labels.csv'),
      'utf8',
    ),
  );
  const typed = typedHeldOutImages(calibration, options.dataRoot);
  const monuseg = monusegTestImages(options.dataRoot, organs);
  if (!options.isSubset) return { typed, monuseg };

  const firstOf = (source: string) =>
    typed.filter((t) => t.source === source).slice(0, 1);
  const inDomain = monuseg.filter((m) => m.organ !== 'brain').slice(0, 2);
  const brain = monuseg.filter((m) => m.organ === 'brain').slice(0, 1);
  return {
    typed: [...firstOf('consep'), ...firstOf('pannuke-demo')],
    monuseg: [...inDomain, ...brain],
  };
}

async function evaluateWith(
  model: EvaluationModel,
  options: EvaluationOptions,
): Promise<EvaluationReport> {
  const { manifest, calibration } = model.bundle;
  const images = pickImages(options, calibration);
  const temperatures = {
    np: calibration.temperature.np,
    nt: calibration.temperature.nt ?? 1,
  };
  const monuseg = await sampleImages(model, images.monuseg, temperatures);
  const typed = await sampleImages(model, images.typed, temperatures);

  const npMonuseg = mergePixelSamples(monuseg.map((s) => s.pixels));
  const nuclei = mergeNucleusSamples(typed);
  const calibrationRows = calibrationRowsFor({ npMonuseg, typed, nuclei, temperatures });

  return {
    bundle: { id: manifest.id, version: manifest.version },
    isSubset: options.isSubset,
    data: {
      typedTest: images.typed.map((i) => `${i.source}/${i.name}`),
      monusegTest: images.monuseg.map((i) => `${i.name} (${i.organ})`),
    },
    calibration: calibrationRows,
    heldOutOptimalTemperature: {
      np: fitTemperature({
        logits: npMonuseg.logits,
        labels: npMonuseg.labels,
        classCount: 2,
      }),
      nt: heldOutNtTemperature(typed),
    },
    conformal: conformalRows(nuclei.after, calibration.conformal.nt),
    conformalSplit: calibration.conformal.nt?.split ?? 'none',
    classNames: Object.fromEntries(manifest.nucleusClasses.map((c) => [c.index, c.name])),
    ood: await evaluateOod({
      model,
      monuseg,
      dataRoot: options.dataRoot,
      isSubset: options.isSubset,
    }),
  };
}

function calibrationRowsFor(input: {
  npMonuseg: ReturnType<typeof mergePixelSamples>;
  typed: readonly ImageSamples[];
  nuclei: ReturnType<typeof mergeNucleusSamples>;
  temperatures: { np: number; nt: number };
}): CalibrationRow[] {
  const { temperatures } = input;
  const npTyped = mergePixelSamples(input.typed.map((s) => s.pixels));
  return [
    npCalibrationRow(
      input.npMonuseg,
      temperatures.np,
      'monuseg/test (pixels, every 3rd px)',
    ),
    npCalibrationRow(npTyped, temperatures.np, 'typed test split (pixels, every 3rd px)'),
    ntCalibrationRow(input.nuclei, temperatures.nt, 'typed test split (nuclei)'),
  ];
}

function conformalRows(
  samples: ReturnType<typeof mergeNucleusSamples>['after'],
  scores: EvaluationModel['bundle']['calibration']['conformal']['nt'],
): ConformalRow[] {
  if (!scores || samples.labels.length === 0) return [];
  const rows: ConformalRow[] = [];
  for (const alpha of [0.1, 0.05]) {
    for (const score of ['lac', 'aps'] as ConformalScore[]) {
      for (const isClassConditional of [false, true]) {
        rows.push(conformalRow({ samples, scores, score, alpha, isClassConditional }));
      }
    }
  }
  return rows;
}

async function sampleImages(
  model: EvaluationModel,
  images: readonly HeldOutImage[],
  temperatures: { np: number; nt: number },
): Promise<ImageSamples[]> {
  const samples: ImageSamples[] = [];
  for (const image of images) {
    const outputs = await model.runImage(image.imagePath);
    const instances = await readLabelsOnGrid(image.instancePath, outputs);
    const pixels = npPixelSamples(outputs.npLogits, instances, {
      widthPx: outputs.widthPx,
      heightPx: outputs.heightPx,
      stridePx: PIXEL_STRIDE_PX,
    });
    const typed = await typedSamples(image, { outputs, instances, temperatures });
    samples.push({
      image,
      pixels,
      ...typed,
      embeddings: outputs.embeddings,
      tiles: outputs.tiles,
    });
  }
  return samples;
}

/** A label map read whole and mapped by nearest neighbour onto the model's grid. */
async function readLabelsOnGrid(
  labelPath: string,
  grid: { widthPx: number; heightPx: number },
): Promise<Uint32Array> {
  const size = await imageSize(labelPath);
  const labels = await readLabelCrop(labelPath, {
    x: 0,
    y: 0,
    width: size.widthPx,
    height: size.heightPx,
  });
  if (size.widthPx === grid.widthPx && size.heightPx === grid.heightPx) return labels;
  return Uint32Array.from(resampleLabelsNearest(labels, size, grid));
}

async function typedSamples(
  image: HeldOutImage,
  input: {
    outputs: Awaited<ReturnType<EvaluationModel['runImage']>>;
    instances: Uint32Array;
    temperatures: { np: number; nt: number };
  },
) {
  const { outputs, instances } = input;
  if (!image.typePath || !image.typeMapping || !outputs.ntLogits) return { nuclei: null };
  const pixels = typedNucleusPixels({
    ntLogits: outputs.ntLogits,
    ntChannels: outputs.ntChannels,
    instances,
    types: await readLabelsOnGrid(image.typePath, outputs),
    mapping: image.typeMapping,
  });
  return {
    nuclei: {
      before: nucleusDistributions(pixels, 1),
      after: nucleusDistributions(pixels, input.temperatures.nt),
      pixels,
    },
  };
}

/** The per-nucleus nt temperature fitted on the held-out nuclei; `null` without any. */
function heldOutNtTemperature(typed: readonly ImageSamples[]): number | null {
  const parts = typed.flatMap((s) => (s.nuclei ? [s.nuclei.pixels] : []));
  const pixels = mergeNucleusPixels(parts);
  return pixels.labels.length > 0 ? fitNucleusTemperature(pixels) : null;
}
