/**
 * Worker-thread entry when the app runs from its TypeScript sources (command line,
 * tests, benchmarks): a worker thread has no TypeScript loader of its own, so tsx
 * imports the worker module here. Built apps start `tile-finishing-worker.js` instead.
 */
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./tile-finishing-worker.ts', import.meta.url);

export default worker.default;
export const ready = worker.ready;
