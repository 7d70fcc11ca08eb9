/** All IPC handlers, bound to one set of services. */
import type { AppServices } from '../app-services';
import type { IpcHandlers } from '../ipc-router';
import { createAnalysisHandlers } from './analysis-handlers';
import { createAppHandlers } from './app-handlers';
import { createResultHandlers } from './result-handlers';
import { createReviewHandlers } from './review-handlers';
import { createSlideHandlers } from './slide-handlers';

/** One handler per contract channel; the type checks that none is missing. */
export function createIpcHandlers(services: AppServices): IpcHandlers {
  return {
    ...createAppHandlers(services),
    ...createSlideHandlers(services),
    ...createAnalysisHandlers(services),
    ...createResultHandlers(services),
    ...createReviewHandlers(services),
  };
}
