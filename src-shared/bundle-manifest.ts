/**
 * The model bundle contract (`models/BUNDLE_FORMAT.md`, format version 1) as runtime
 * schemas, shared so main validates bundles and the UI can show a bundle's intended
 * use, classes and organs from the same types.
 */
import { z } from 'zod';

const DIM = z.union([z.number().int().positive(), z.string().min(1)]);

/** One input or output tensor of a graph; a string dim names a dynamic axis. */
export const TensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.literal('float32'),
  shape: z.array(DIM).min(1),
});

const GRAPH_ROLES = ['model', 'backbone', 'heads'] as const;
const OUTPUT_MEANINGS = ['np', 'hv', 'nt', 'embedding', 'tokens', 'organ'] as const;

const RGB_TRIPLE = z.tuple([z.number(), z.number(), z.number()]);

const GraphSchema = z.object({
  role: z.enum(GRAPH_ROLES),
  file: z.string().min(1),
  inputs: z.array(TensorSpecSchema).min(1),
  outputs: z.array(TensorSpecSchema).min(1),
});

const OutputRefSchema = z.object({ graph: z.enum(GRAPH_ROLES), name: z.string().min(1) });

const NucleusClassSchema = z.object({
  index: z.number().int().positive(),
  name: z.string().min(1),
  pannuke: z.array(z.string()),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});

/** An odd kernel edge in pixels, from 3 up to `maxPx` (OpenCV's Sobel takes up to 31). */
function oddKernelSchema(maxPx: number) {
  return z
    .number()
    .int()
    .min(3)
    .max(maxPx)
    .refine((px) => px % 2 === 1, { message: 'a kernel edge must be odd' });
}

const FileEntrySchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});

/** `manifest.json` of a bundle. */
export const BundleManifestSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+].*)?$/, 'must be semver'),
  kind: z.enum(['embedded-default', 'full']),
  intendedUse: z.enum(['pre-triage', 'full']),
  description: z.string(),
  input: z.object({
    tileSizePx: z.number().int().positive(),
    targetMpp: z.number().positive(),
    recommendedOverlapPx: z.number().int().nonnegative(),
    normalisation: z.object({ mean: RGB_TRIPLE, std: RGB_TRIPLE }),
    layout: z.literal('NCHW'),
  }),
  stages: z.enum(['single', 'two-stage']),
  graphs: z.array(GraphSchema).min(1),
  outputs: z.partialRecord(z.enum(OUTPUT_MEANINGS), OutputRefSchema),
  nucleusClasses: z.array(NucleusClassSchema),
  organs: z.array(z.string()),
  postprocessing: z.object({
    npThreshold: z.number().min(0).max(1),
    minAreaPx: z.number().nonnegative(),
    markerThreshold: z.number().min(0).max(1),
    markerMinAreaPx: z.number().nonnegative(),
    gradientKernelPx: oddKernelSchema(31).optional(),
    slopeRangePerPx: z
      .object({ min: z.number().negative(), max: z.number().positive() })
      .optional(),
    markerOpeningPx: oddKernelSchema(15).optional(),
  }),
  files: z.array(FileEntrySchema).min(1),
});

/** A parsed, schema-valid manifest. */
export type BundleManifest = z.infer<typeof BundleManifestSchema>;
/** One graph of a bundle (`model`, or `backbone` and `heads`). */
export type BundleGraph = z.infer<typeof GraphSchema>;
/** A tensor's declared name, element type and shape. */
export type TensorSpec = z.infer<typeof TensorSpecSchema>;
/** What an output tensor means: `np`, `hv`, `nt`, `embedding`, `tokens`, `organ`. */
export type OutputMeaning = (typeof OUTPUT_MEANINGS)[number];
/** A nucleus class: `index` is its channel in the `nt` output (0 is background). */
export type NucleusClass = z.infer<typeof NucleusClassSchema>;

const SortedScores = z.array(z.number());
const ConformalScoresSchema = z.object({ lac: SortedScores, aps: SortedScores });

/** `calibration.json` of a bundle. */
export const BundleCalibrationSchema = z.object({
  temperature: z.object({
    np: z.number().positive(),
    nt: z.number().positive().nullable(),
    organ: z.number().positive().nullable(),
  }),
  conformal: z
    .object({
      nt: ConformalScoresSchema.extend({
        split: z.string(),
        perClass: z.record(z.string(), ConformalScoresSchema),
      }).nullable(),
    })
    .loose(),
  ood: z
    .object({
      dim: z.number().int().positive(),
      mean: z.array(z.number()),
      precision: z.array(z.number()),
      shrinkage: z.number(),
      referenceDistances: z.object({
        q50: z.number(),
        q90: z.number(),
        q95: z.number(),
        q99: z.number(),
        max: z.number(),
      }),
      thresholdQuantile: z.enum(['q50', 'q90', 'q95', 'q99', 'max']),
    })
    .refine((ood) => ood.mean.length === ood.dim, 'mean must have dim entries')
    .refine(
      (ood) => ood.precision.length === ood.dim * ood.dim,
      'precision must be dim*dim',
    )
    .nullable(),
  thresholds: z.object({
    npEntropyReview: z.number(),
    ntEntropyReview: z.number(),
    setSizeReview: z.number(),
  }),
  splits: z.record(z.string(), z.unknown()),
});

/** A parsed, schema-valid calibration file. */
export type BundleCalibration = z.infer<typeof BundleCalibrationSchema>;

/** What the UI shows about a loaded bundle. */
export interface BundleSummary {
  id: string;
  version: string;
  kind: BundleManifest['kind'];
  intendedUse: BundleManifest['intendedUse'];
  description: string;
  nucleusClasses: NucleusClass[];
  organs: string[];
  targetMpp: number;
  tileSizePx: number;
}

/** The UI-facing summary of a manifest. */
export function summariseBundle(manifest: BundleManifest): BundleSummary {
  return {
    id: manifest.id,
    version: manifest.version,
    kind: manifest.kind,
    intendedUse: manifest.intendedUse,
    description: manifest.description,
    nucleusClasses: manifest.nucleusClasses,
    organs: manifest.organs,
    targetMpp: manifest.input.targetMpp,
    tileSizePx: manifest.input.tileSizePx,
  };
}
