import { describe, expect, it } from 'vitest';
import {
  COLD_START_TEXT,
  SlideHeader,
} from '../../../src-renderer/components/SlideHeader';
import type { SlideDetails } from '../../../src-shared/ipc-schemas';
import { analysisSummary, renderMarkup } from './render-markup';

const SLIDE = { slideId: '3', displayName: 'slide-a.svs' } as SlideDetails;

function renderHeader(summary: ReturnType<typeof analysisSummary>): string {
  return renderMarkup(SlideHeader, { slide: SLIDE, summary, onBack: () => undefined });
}

describe('SlideHeader', () => {
  it('shows the cold-start notice when the triage used a cold-start profile', () => {
    const markup = renderHeader(analysisSummary());

    expect(markup).toContain(
      'Cold start: thresholds are conservative defaults, not yet fitted to this site',
    );
    expect(markup).toContain('site profile default v1');
  });

  it('shows no cold-start notice once the site profile is fitted', () => {
    const fitted = { siteId: 'site-a', version: 4, isColdStart: false };

    const markup = renderHeader(analysisSummary({ siteProfile: fitted }));

    expect(markup).not.toContain(COLD_START_TEXT);
  });

  it('shows no cold-start notice when the analysis has no triage', () => {
    const markup = renderHeader(analysisSummary({ siteProfile: null }));

    expect(markup).not.toContain(COLD_START_TEXT);
  });
});
