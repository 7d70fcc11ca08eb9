/**
 * The UI's one way to reach main: typed calls over whichever transport was picked,
 * failures turned into {@link ApiCallError} (with the contract's code and a message
 * the user can act on), and binary payloads decoded once.
 */
import type { ErrorCode } from '../../src-shared/errors';
import type {
  IpcChannel,
  IpcInvoke,
  IpcRequest,
  IpcResponse,
} from '../../src-shared/ipc-contract';
import type { GridLayer } from '../../src-shared/ipc-result-schemas';
import type { Rect } from '../../src-shared/geometry';
import { decodeHeatmapGrid, decodeNucleiViewport } from './payload-decoders';
import type { HeatmapGrid, NucleiViewportData } from './view-model';

/** A call that main answered with an error result. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

/** Typed access to the contract. */
export interface Api {
  call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>>;
  nucleiInViewport(request: {
    analysisId: string;
    viewportBase: Rect;
    basePerScreenPx: number;
    maxNuclei: number;
  }): Promise<NucleiViewportData>;
  heatmap(analysisId: string, layer: GridLayer): Promise<HeatmapGrid>;
  /** Sends a structured log line to main's logger; never throws. */
  log(
    level: 'info' | 'warn' | 'error',
    event: string,
    fields?: Record<string, string | number | boolean | null>,
  ): void;
}

/** Wraps an `invoke` (bridge or loopback) as an {@link Api}. */
export function createApi(invoke: IpcInvoke): Api {
  const call = async <C extends IpcChannel>(channel: C, request: IpcRequest<C>) => {
    const result = await invoke(channel, request);
    if (!result.ok) throw new ApiCallError(result.error.code, result.error.message);
    return result.value;
  };

  return {
    call,
    nucleiInViewport: async (request) =>
      decodeNucleiViewport(await call('nuclei:viewport', request)),
    heatmap: async (analysisId, layer) =>
      decodeHeatmapGrid(await call('uncertainty:grid', { analysisId, layer })),
    log: (level, event, fields = {}) => {
      // A lost log line must not break the UI; the result tells nothing to act on.
      void invoke('log:write', { level, event, fields });
    },
  };
}

/** The message to show for any error thrown by an api call or by decoding. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return `Unexpected failure: ${String(error)}`;
}
