import { describe, expect, it } from 'vitest';
import { ReviewPanel } from '../../../src-renderer/components/ReviewPanel';
import { analysisSummary, renderMarkup } from './render-markup';

function renderPanel(): string {
  return renderMarkup(ReviewPanel, {
    summary: analysisSummary(),
    auditRefreshKey: 0,
    onRecorded: () => undefined,
  });
}

describe('ReviewPanel', () => {
  it('starts with no decision chosen when it opens', () => {
    const markup = renderPanel();

    const radios = markup.match(/<input type="radio"[^>]*>/g) ?? [];
    expect(radios).toHaveLength(3);
    for (const radio of radios) expect(radio).not.toMatch(/checked/);
  });

  it('disables "Record decision" while no decision is chosen', () => {
    const markup = renderPanel();

    expect(markup).toMatch(/<button type="submit" disabled="">Record decision<\/button>/);
    expect(markup).toContain('Choose a decision to record it.');
  });
});
