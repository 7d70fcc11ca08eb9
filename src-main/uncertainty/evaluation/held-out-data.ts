/**
 * The evaluation data: tiles the bundle never trained, validated or calibrated on.
 * Typed tiles come from the bundle's own `test` split (CoNSeP and the PanNuke breast
 * demo); MoNuSeg's test set is never used by training at all and serves the
 * pixel-level nucleus-map calibration and the in-domain side of the OOD figures.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BundleCalibration } from '../../../src-shared/bundle-manifest';
import {
  CONSEP_TO_NT,
  PANNUKE_DEMO_TO_NT,
  type TypeMapping,
} from '../../evaluation/type-mappings';
import { TriageError } from '../triage-errors';

export type { TypeMapping } from '../../evaluation/type-mappings';

/** One held-out image with its labels. */
export interface HeldOutImage {
  source: 'consep' | 'pannuke-demo' | 'monuseg-test';
  name: string;
  imagePath: string;
  instancePath: string;
  /** `null` when the source has no nucleus types (MoNuSeg). */
  typePath: string | null;
  typeMapping: TypeMapping | null;
  /** Organ as the data set states it (MoNuSeg only), else `null`. */
  organ: string | null;
}

function testNames(calibration: BundleCalibration, source: string): string[] {
  const splits = calibration.splits[source];
  if (typeof splits !== 'object' || splits === null || !('test' in splits)) return [];
  const names = (splits as { test: unknown }).test;
  return Array.isArray(names)
    ? names.filter((n): n is string => typeof n === 'string')
    : [];
}

/** Typed held-out images: the bundle's CoNSeP and PanNuke-demo `test` split. */
export function typedHeldOutImages(
  calibration: BundleCalibration,
  dataRoot: string,
): HeldOutImage[] {
  const consep = testNames(calibration, 'consep').map((name) => ({
    source: 'consep' as const,
    name,
    imagePath: path.join(dataRoot, 'consep', 'train', `${name}.png`),
    instancePath: path.join(dataRoot, 'consep', 'train', `${name}_inst.png`),
    typePath: path.join(dataRoot, 'consep', 'train', `${name}_type.png`),
    typeMapping: CONSEP_TO_NT,
    organ: null,
  }));
  const pannuke = testNames(calibration, 'pannuke-demo').map((name) => ({
    source: 'pannuke-demo' as const,
    name,
    imagePath: path.join(dataRoot, 'pannuke-breast-demo', `${name}.png`),
    instancePath: path.join(
      dataRoot,
      'pannuke-breast-demo',
      'labels_png',
      `${name}_inst.png`,
    ),
    typePath: path.join(
      dataRoot,
      'pannuke-breast-demo',
      'labels_png',
      `${name}_type.png`,
    ),
    typeMapping: PANNUKE_DEMO_TO_NT,
    organ: null,
  }));
  const images = [...consep, ...pannuke];
  if (images.length === 0) {
    throw new TriageError(
      'BUNDLE_INVALID',
      'The bundle names no held-out typed tiles (calibration.json splits.*.test is empty); ' +
        'evaluate a bundle built with a test split.',
    );
  }
  return images.map(assertPresent);
}

/** MoNuSeg test images with their organ (two are brain, not a PanNuke organ). */
export function monusegTestImages(dataRoot: string, organByName: Map<string, string>) {
  const folder = path.join(dataRoot, 'monuseg', 'test');
  return [...organByName.entries()].map(([name, organ]) =>
    assertPresent({
      source: 'monuseg-test' as const,
      name,
      imagePath: path.join(folder, `${name}.png`),
      instancePath: path.join(folder, 'labels_png', `${name}_label.png`),
      typePath: null,
      typeMapping: null,
      organ,
    }),
  );
}

/** Parses `organ_labels.csv` (image, tcga_project, organ, ...) into name -> organ. */
export function parseOrganLabels(csvText: string): Map<string, string> {
  const [header, ...lines] = csvText.trim().split(/\r?\n/);
  const columns = (header ?? '').split(',');
  const nameAt = columns.indexOf('image');
  const organAt = columns.indexOf('organ');
  const organs = new Map<string, string>();
  for (const line of lines) {
    const cells = line.split(',');
    const name = cells[nameAt];
    if (name) organs.set(name, cells[organAt] ?? 'unknown');
  }
  return organs;
}

function assertPresent(image: HeldOutImage): HeldOutImage {
  for (const file of [image.imagePath, image.instancePath, image.typePath]) {
    if (file && !existsSync(file)) {
      throw new TriageError(
        'SLIDE_NOT_FOUND',
        `Evaluation data is incomplete: ${image.source} tile ${image.name} lacks a file. ` +
          'Restore ../shared/data (see PROVENANCE.md).',
      );
    }
  }
  return image;
}
