/**
 * How the nucleus types of the public annotated data sets map to the bundle's class
 * indices (the channels of the `nt` output). These are the tables training used
 * (models/training/classes.py), so a score compares like with like.
 */
import type { InstanceMap } from './instance-overlap';

/** Maps a data set's type value to an `nt` channel; absent values have no known class. */
export type TypeMapping = ReadonlyMap<number, number>;

/** Which data set's type codes a folder holds. */
export type TypeScheme = 'consep' | 'pannuke-demo' | 'none';

/** Every accepted {@link TypeScheme}, for option parsing. */
export const TYPE_SCHEMES: readonly TypeScheme[] = ['consep', 'pannuke-demo', 'none'];

/** CoNSeP (HoVer-Net's merged four): 1 other, 2 inflammatory, 3 epithelial, 4 spindle. */
export const CONSEP_TO_NT: TypeMapping = new Map([
  [1, 4],
  [2, 1],
  [3, 3],
  [4, 2],
]);

/**
 * PanNuke breast demo: 1 neoplastic; 2 "not neoplastic" merges four PanNuke classes,
 * epithelial among them, so it maps to no single channel and stays unknown.
 */
export const PANNUKE_DEMO_TO_NT: TypeMapping = new Map([[1, 3]]);

/** The mapping of a scheme; `null` for `none`. */
export function typeMappingFor(scheme: TypeScheme): TypeMapping | null {
  if (scheme === 'consep') return CONSEP_TO_NT;
  if (scheme === 'pannuke-demo') return PANNUKE_DEMO_TO_NT;
  return null;
}

/**
 * The class of every instance: the majority type value over its pixels (lowest value
 * on ties, background 0 never voting), mapped through `mapping`. `null` means the
 * instance's type is unknown: unlabelled pixels or a value the mapping lacks.
 */
export function instanceClasses(
  instances: InstanceMap,
  typeValues: ArrayLike<number>,
  mapping: TypeMapping,
): Map<number, number | null> {
  const votes = new Map<number, Map<number, number>>();
  for (let i = 0; i < instances.labels.length; i += 1) {
    const id = instances.labels[i] as number;
    const value = typeValues[i] as number;
    if (id === 0 || value === 0) continue;
    let row = votes.get(id);
    if (!row) votes.set(id, (row = new Map()));
    row.set(value, (row.get(value) ?? 0) + 1);
  }

  const classes = new Map<number, number | null>();
  for (const id of new Set(instances.labels)) {
    if (id === 0) continue;
    const majority = majorityValue(votes.get(id));
    classes.set(id, majority === null ? null : (mapping.get(majority) ?? null));
  }
  return classes;
}

function majorityValue(row: Map<number, number> | undefined): number | null {
  if (!row) return null;
  let best: { value: number; count: number } | null = null;
  for (const [value, count] of row) {
    const isBetter =
      !best || count > best.count || (count === best.count && value < best.value);
    if (isBetter) best = { value, count };
  }
  return best ? best.value : null;
}
