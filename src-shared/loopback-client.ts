/**
 * The renderer's side of the loopback transport: an {@link IpcInvoke} that posts to
 * the local server. Used when the UI runs in a plain browser (offline demo, headless
 * tests) instead of Electron; `fetch` is passed in so this module stays pure.
 */
import { fail, type Result } from './errors';
import {
  LOOPBACK_IPC_PATH,
  LOOPBACK_TOKEN_HEADER,
  type IpcChannel,
  type IpcInvoke,
  type IpcResponse,
} from './ipc-contract';
import { decodeEnvelope, EnvelopeFormatError } from './ipc-envelope';

/** The part of `fetch` the client uses (the browser's and Node's both fit). */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => Promise<{ status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Where the server is and how to prove we may talk to it. */
export interface LoopbackClientOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:43117`; empty for same-origin. */
  baseUrl: string;
  /** The per-run token the server printed (also in the page URL as `?token=`). */
  token: string;
  fetch: FetchLike;
}

function isResult(value: unknown): value is Result<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return record.ok === true
    ? 'value' in record
    : record.ok === false && 'error' in record;
}

async function post(
  options: LoopbackClientOptions,
  channel: IpcChannel,
  request: unknown,
) {
  try {
    return await options.fetch(`${options.baseUrl}${LOOPBACK_IPC_PATH}${channel}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [LOOPBACK_TOKEN_HEADER]: options.token,
      },
      body: JSON.stringify(request ?? {}),
    });
  } catch (error) {
    return new Error(`The local server did not answer (${String(error)}).`);
  }
}

/** Creates the loopback `invoke`; it never throws, failures come back as results. */
export function createLoopbackInvoke(options: LoopbackClientOptions): IpcInvoke {
  const invoke = async <C extends IpcChannel>(
    channel: C,
    request: unknown,
  ): Promise<Result<IpcResponse<C>>> => {
    const response = await post(options, channel, request);
    if (response instanceof Error) return fail('INTERNAL', response.message);

    try {
      const decoded = decodeEnvelope(await response.arrayBuffer());
      if (isResult(decoded)) return decoded as Result<IpcResponse<C>>;
      return fail('INTERNAL', `The local server answered ${channel} with no result.`);
    } catch (error) {
      const detail = error instanceof EnvelopeFormatError ? error.message : String(error);
      return fail('INTERNAL', `HTTP ${response.status} for ${channel}: ${detail}`);
    }
  };
  return invoke;
}
