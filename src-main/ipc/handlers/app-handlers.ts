/**
 * Handlers about the application itself: version, bundle and offline state, the
 * settings, the renderer's log lines, and browsing the allowed slide folders.
 */
import type { IpcHandlers } from '../ipc-router';
import type { AppServices } from '../app-services';
import { browseSlideFolders } from '../slide-browser';
import { createLogger } from '../../logging/logger';

type AppHandlers = Pick<
  IpcHandlers,
  'app:info' | 'settings:get' | 'settings:set' | 'log:write' | 'files:browse'
>;

const rendererLog = createLogger('renderer');

/** The application handlers. */
export function createAppHandlers(services: AppServices): AppHandlers {
  return {
    'app:info': (_request, context) => ({
      appVersion: services.appVersion,
      transport: context.transport,
      platform: process.platform,
      bundle: services.bundle.brief,
      bundleError: services.bundle.error,
      offline: {
        isOutboundBlocked: services.offline.isOutboundBlocked,
        blockedRequestCount: services.offline.blockedRequestCount(),
      },
      tiles: services.tileUrls(context.transport),
    }),
    'settings:get': () => services.settings.get(),
    'settings:set': (request) => {
      const settings = services.settings.update(request);
      services.store.reviews.appendAudit({
        actor: services.actor,
        action: 'settings.changed',
        details: { changed: Object.keys(request).sort().join(',') },
      });
      return settings;
    },
    'log:write': (request) => {
      // The logger's sink redacts path- and identifier-shaped text in fields.
      rendererLog[request.level](request.event, request.fields);
      return { isWritten: true };
    },
    'files:browse': (request) => browseSlideFolders(services.slideRoots, request.dirPath),
  };
}
