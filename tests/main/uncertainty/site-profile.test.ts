import { describe, expect, it } from 'vitest';
import { COLD_START_PROFILE, parseSiteProfile } from '../../../src-shared/site-profile';

describe('COLD_START_PROFILE', () => {
  it('passes its own schema', () => {
    expect(parseSiteProfile(JSON.parse(JSON.stringify(COLD_START_PROFILE)))).toEqual(
      COLD_START_PROFILE,
    );
  });

  it('says it is a cold start and defaults alpha to 0.1', () => {
    expect(COLD_START_PROFILE.isColdStart).toBe(true);
    expect(COLD_START_PROFILE.alpha).toBe(0.1);
  });
});

describe('parseSiteProfile', () => {
  it('names the field when a review threshold is out of range', () => {
    const bad = {
      ...COLD_START_PROFILE,
      reviewThresholds: { ...COLD_START_PROFILE.reviewThresholds, npEntropy: 2 },
    };
    expect(() => parseSiteProfile(bad)).toThrow(/npEntropy/);
  });
});
