/**
 * Renders a component to static HTML inside the app context (a fake api whose calls
 * never answer), and the small fixtures the component tests share.
 */
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { IpcResponse } from '../../../src-shared/ipc-contract';
import type {
  AnalysisSummary,
  BundleBrief,
} from '../../../src-shared/ipc-result-schemas';
import type { Api } from '../../../src-renderer/api/api-client';
import { AppContext } from '../../../src-renderer/api/api-context';

/** The classes of the embedded default bundle's manifest. */
export const DEFAULT_BUNDLE_CLASSES: NonNullable<BundleBrief['nucleusClasses']> = [
  { index: 1, name: 'inflammatory', pannuke: ['Inflammatory'], color: '#1f77ff' },
  { index: 2, name: 'connective', pannuke: ['Connective'], color: '#2ca02c' },
  {
    index: 3,
    name: 'epithelial-or-neoplastic',
    pannuke: ['Neoplastic', 'Epithelial'],
    color: '#e3171e',
  },
  { index: 4, name: 'other', pannuke: [], color: '#f5b800' },
];

/** A loaded bundle brief carrying {@link DEFAULT_BUNDLE_CLASSES}. */
export const DEFAULT_BRIEF: BundleBrief = {
  id: 'cellvit-optimus-default',
  version: '1.0.0',
  kind: 'embedded-default',
  intendedUse: 'pre-triage',
  description: 'test bundle',
  nucleusClasses: DEFAULT_BUNDLE_CLASSES,
};

/** A finished analysis of the default bundle with a cold-start profile. */
export function analysisSummary(
  overrides: Partial<AnalysisSummary> = {},
): AnalysisSummary {
  return {
    analysisId: '7',
    slideId: '3',
    status: 'done',
    bundleId: DEFAULT_BRIEF.id,
    bundleVersion: DEFAULT_BRIEF.version,
    intendedUse: 'pre-triage',
    verdict: 'review',
    reasons: [],
    organ: null,
    nucleusCount: 12,
    countsByClass: [{ classIndex: 3, name: 'epithelial-or-neoplastic', count: 12 }],
    regionCounts: { reliable: 1, review: 1, outOfDomain: 0 },
    siteProfile: { siteId: 'default', version: 1, isColdStart: true },
    mppUsed: { x: 0.25, y: 0.25, source: 'user' },
    createdAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    reviews: [],
    ...overrides,
  };
}

const SILENT_API: Api = {
  call: () => new Promise(() => undefined),
  nucleiInViewport: () => new Promise(() => undefined),
  heatmap: () => new Promise(() => undefined),
  log: () => undefined,
};

const APP_INFO: IpcResponse<'app:info'> = {
  appVersion: '0.0.0-test',
  transport: 'loopback',
  platform: 'linux',
  bundle: DEFAULT_BRIEF,
  bundleError: null,
  offline: { isOutboundBlocked: true, blockedRequestCount: 0 },
  tiles: { urlPrefix: '/tiles/', urlSuffix: '' },
};

/** Static HTML of `component` with `props`, rendered inside the app context. */
export function renderMarkup<P extends object>(component: ComponentType<P>, props: P) {
  return renderToStaticMarkup(
    createElement(
      AppContext.Provider,
      { value: { api: SILENT_API, appInfo: APP_INFO } },
      createElement(component, props),
    ),
  );
}
