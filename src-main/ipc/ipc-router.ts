/**
 * Binds handlers to the contract: every call is validated against the channel's
 * request schema, run, and answered as a `Result`. Both transports (Electron IPC and
 * the loopback server) call {@link IpcRouter.dispatch}, so validation and error
 * mapping cannot differ between them.
 */
import type { z } from 'zod';
import { AppError, fail, ok, type Result } from '../../src-shared/errors';
import {
  IPC_CONTRACT,
  isIpcChannel,
  type IpcChannel,
  type IpcParsedRequest,
  type IpcResponse,
} from '../../src-shared/ipc-contract';
import { createLogger } from '../logging/logger';

const log = createLogger('ipc');

/** Who is calling; handlers use it for the audit actor and transport-only features. */
export interface CallContext {
  transport: 'electron' | 'loopback';
}

/** The function bound to one channel; it may throw `AppError`s, never plain values. */
export type IpcHandler<C extends IpcChannel> = (
  request: IpcParsedRequest<C>,
  context: CallContext,
) => Promise<IpcResponse<C>> | IpcResponse<C>;

/** One handler per channel of the contract; the compiler checks none is missing. */
export type IpcHandlers = { [C in IpcChannel]: IpcHandler<C> };

/** Routes raw calls to handlers. */
export interface IpcRouter {
  dispatch(
    channel: unknown,
    payload: unknown,
    context: CallContext,
  ): Promise<Result<unknown>>;
}

/** Describes schema issues by field path only: values may be paths or free text. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`)
    .join('; ');
}

function toFailure(channel: IpcChannel, error: unknown): Result<never> {
  if (error instanceof AppError) {
    log.warn('ipc.call.failed', { channel, errorCode: error.code.toLowerCase() });
    return fail(error.code, error.message);
  }
  log.error('ipc.call.crashed', {
    channel,
    errorName: error instanceof Error ? error.name : typeof error,
  });
  return fail('INTERNAL', `Unexpected failure in ${channel}; the log has the details.`);
}

/** Creates the router over a full set of handlers. */
export function createIpcRouter(handlers: IpcHandlers): IpcRouter {
  const dispatch = async (
    channel: unknown,
    payload: unknown,
    context: CallContext,
  ): Promise<Result<unknown>> => {
    if (!isIpcChannel(channel)) {
      return fail('INVALID_PAYLOAD', 'Unknown channel: not part of the IPC contract.');
    }

    const parsed = IPC_CONTRACT[channel].request.safeParse(payload ?? {});
    if (!parsed.success) {
      log.warn('ipc.payload.rejected', {
        channel,
        issueCount: parsed.error.issues.length,
      });
      return fail(
        'INVALID_PAYLOAD',
        `Invalid ${channel} request: ${describeIssues(parsed.error.issues)}`,
      );
    }

    try {
      const handler = handlers[channel] as IpcHandler<IpcChannel>;
      return ok(await handler(parsed.data as never, context));
    } catch (error) {
      return toFailure(channel, error);
    }
  };
  return { dispatch };
}
