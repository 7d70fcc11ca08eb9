/**
 * The legend's classes for an analysis. Names and colours come from the bundle
 * manifest (through the loaded bundle's brief when it is the bundle the analysis
 * ran with, or the colours the analysis recorded); only when neither is known does
 * a neutral fallback palette (kept clear of the verdict colours) apply.
 */
import type {
  AnalysisSummary,
  BundleBrief,
} from '../../../src-shared/ipc-result-schemas';
import { UNTYPED_CLASS, type LegendClass } from './class-palette';

const FALLBACK_COLORS = [
  '#1f77ff',
  '#8e24aa',
  '#00897b',
  '#6d4c41',
  '#3949ab',
  '#c2185b',
];

function fromBundle(bundle: BundleBrief): LegendClass[] {
  return (bundle.nucleusClasses ?? []).map((entry) => ({
    index: entry.index,
    name: entry.name,
    pannuke: entry.pannuke,
    colorHex: entry.color,
  }));
}

/** Legend entries, untyped first. */
export function legendClassesFor(
  summary: AnalysisSummary,
  loadedBundle: BundleBrief | null,
): LegendClass[] {
  const isSameBundle =
    loadedBundle !== null &&
    loadedBundle.id === summary.bundleId &&
    loadedBundle.version === summary.bundleVersion;
  const manifestClasses = isSameBundle ? fromBundle(loadedBundle) : [];
  if (manifestClasses.length > 0) return [UNTYPED_CLASS, ...manifestClasses];

  const counted = summary.countsByClass.filter((entry) => entry.classIndex > 0);
  return [
    UNTYPED_CLASS,
    ...counted.map((entry, position) => ({
      index: entry.classIndex,
      name: entry.name,
      pannuke: [],
      colorHex:
        entry.color ?? FALLBACK_COLORS[position % FALLBACK_COLORS.length] ?? '#1f77ff',
    })),
  ];
}
