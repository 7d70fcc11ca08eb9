/**
 * Finds the annotated images of a folder and the labels of each, in the layouts of
 * the public nuclei data sets: MoNuSeg (`labels_png/<name>_label.png` or ImageScope
 * `<name>.xml`), CoNSeP (`<name>_inst.png`, `<name>_type.png`), the PanNuke demo
 * (`labels_png/<name>_inst.png`, `_type.png`) and point lists (`<name>.points.csv`).
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EvaluationInputError } from './evaluation-errors';

/** Where one image's labels are. */
export type LabelSource =
  | { format: 'instance-png'; instancePath: string; typePath: string | null }
  | { format: 'imagescope-xml'; xmlPath: string }
  | { format: 'points-csv'; csvPath: string };

/** One image of the folder and its labels. */
export interface AnnotatedImage {
  name: string;
  imagePath: string;
  labels: LabelSource;
}

/** The images of a folder, in natural name order. */
export interface TileFolder {
  folder: string;
  images: AnnotatedImage[];
  /** Whether any labels carry nucleus types (type maps, or a `class` column). */
  hasTypedLabels: boolean;
}

const IMAGE_PATTERN = /\.(png|jpe?g|tiff?)$/i;
const LABEL_SUFFIX = /_(inst|type|label)$/i;

/** Every annotated image in `folder`; throws when there is none or one lacks labels. */
export async function scanTileFolder(folder: string): Promise<TileFolder> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new EvaluationInputError(`No folder at ${folder}.`);
  }
  const names = (await readdir(folder))
    .filter((file) => IMAGE_PATTERN.test(file))
    .filter((file) => !LABEL_SUFFIX.test(stem(file)))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0) {
    throw new EvaluationInputError(`No images (.png, .jpg, .tif) in ${folder}.`);
  }

  const images = names.map((file) => ({
    name: stem(file),
    imagePath: path.join(folder, file),
    labels: findLabels(folder, stem(file)),
  }));
  const typed = await Promise.all(images.map((image) => hasTypes(image.labels)));
  return { folder, images, hasTypedLabels: typed.some(Boolean) };
}

function stem(file: string): string {
  return file.replace(IMAGE_PATTERN, '');
}

function findLabels(folder: string, name: string): LabelSource {
  const at = (...parts: string[]) => path.join(folder, ...parts);
  const found =
    instancesAt(at('labels_png', `${name}_label.png`), null) ??
    instancesAt(
      at('labels_png', `${name}_inst.png`),
      at('labels_png', `${name}_type.png`),
    ) ??
    instancesAt(at(`${name}_inst.png`), at(`${name}_type.png`)) ??
    (existsSync(at(`${name}.xml`))
      ? { format: 'imagescope-xml' as const, xmlPath: at(`${name}.xml`) }
      : null) ??
    (existsSync(at(`${name}.points.csv`))
      ? { format: 'points-csv' as const, csvPath: at(`${name}.points.csv`) }
      : null);
  if (!found) {
    throw new EvaluationInputError(
      `Image ${name} has no labels: expected labels_png/${name}_label.png, ` +
        `labels_png/${name}_inst.png, ${name}_inst.png, ${name}.xml or ${name}.points.csv.`,
    );
  }
  return found;
}

function instancesAt(instancePath: string, typePath: string | null): LabelSource | null {
  if (!existsSync(instancePath)) return null;
  const hasTypeMap = typePath !== null && existsSync(typePath);
  return { format: 'instance-png', instancePath, typePath: hasTypeMap ? typePath : null };
}

async function hasTypes(labels: LabelSource): Promise<boolean> {
  if (labels.format === 'instance-png') return labels.typePath !== null;
  if (labels.format === 'imagescope-xml') return false;
  const header = (await readFile(labels.csvPath, 'utf8')).split(/\r?\n/, 1)[0] ?? '';
  return header.split(',').some((column) => column.trim().toLowerCase() === 'class');
}

/** A short name for the folder's data: its last two path segments (`monuseg/test`). */
export function datasetLabel(folder: string): string {
  return path.resolve(folder).split(path.sep).filter(Boolean).slice(-2).join('/');
}
