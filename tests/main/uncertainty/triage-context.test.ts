import { describe, expect, it } from 'vitest';
import { COLD_START_PROFILE } from '../../../src-shared/site-profile';
import { createTriageContext } from '../../../src-main/uncertainty/triage-context';
import { SiteProfileInvalidError } from '../../../src-main/uncertainty/triage-errors';
import { CLASSES, makeCalibration, makeContext } from './triage-builders';

describe('createTriageContext', () => {
  it('uses the bundle temperatures and records that source when the profile sets none', () => {
    const { settings } = makeContext();
    expect(settings.temperatures).toEqual({ np: 1.5, nt: 1.2, organ: null });
    expect(settings.temperatureSource).toEqual({
      np: 'bundle',
      nt: 'bundle',
      organ: 'none',
    });
  });

  it('uses and records a site temperature when the profile overrides one', () => {
    const { settings } = makeContext({
      temperatures: { np: 0.9, nt: null, organ: null },
    });
    expect(settings.temperatures.np).toBe(0.9);
    expect(settings.temperatureSource.np).toBe('profile');
  });

  it('takes the cold-start OOD threshold from the q95 reference distance', () => {
    const { settings } = makeContext();
    expect(settings.oodThreshold).toBe(2.5);
    expect(settings.oodThresholdSource).toBe('profile-quantile');
  });

  it('falls back to the quantile the bundle states when the profile names none', () => {
    const { settings } = makeContext({ oodQuantile: null });
    expect(settings.oodThreshold).toBe(3);
    expect(settings.oodThresholdSource).toBe('bundle-quantile');
  });

  it('prefers an explicit OOD threshold override over any quantile', () => {
    const { settings } = makeContext({ oodThresholdOverride: 7 });
    expect(settings.oodThreshold).toBe(7);
    expect(settings.oodThresholdSource).toBe('profile-override');
  });

  it('computes the conformal quantile for the profile alpha from the bundle scores', () => {
    // 99 scores 0.01..0.99: rank ceil(100 * 0.9) = 90 -> 0.90.
    expect(makeContext().settings.conformalQuantile).toBeCloseTo(0.9, 12);
  });

  it('always includes classes the calibration split never showed in class-conditional mode', () => {
    const context = makeContext({ isClassConditional: true });
    expect(context.typeQuantile).toEqual([0.9, Infinity, Infinity, Infinity]);
  });

  it('counts the epithelial-or-neoplastic class as neoplastic for ROI scoring', () => {
    expect([...makeContext().neoplasticClassIndices]).toEqual([3]);
  });

  it('rejects an invalid profile with an error that says how to recover', () => {
    const build = () =>
      createTriageContext({
        calibration: makeCalibration(),
        profile: { ...COLD_START_PROFILE, alpha: 1.5 },
        nucleusClasses: CLASSES,
        organs: [],
        targetMpp: 0.25,
        slideMppX: 0.25,
      });
    expect(build).toThrow(SiteProfileInvalidError);
    expect(build).toThrow(/restore the default/);
  });
});
