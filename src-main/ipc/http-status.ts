/**
 * Maps error codes to HTTP statuses for the two places that answer like a web server:
 * Electron's custom protocols and the loopback server.
 */
import { AppError, type ErrorCode } from '../../src-shared/errors';
import { createLogger } from '../logging/logger';

const log = createLogger('ipc.http');

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_PAYLOAD: 400,
  INVALID_OPTION: 400,
  FORBIDDEN_SENDER: 403,
  PATH_OUTSIDE_ROOT: 403,
  ASSOCIATED_IMAGE_HIDDEN: 403,
  SLIDE_NOT_FOUND: 404,
  ANALYSIS_NOT_FOUND: 404,
  ANALYSIS_IN_PROGRESS: 409,
};

/** The HTTP status for an error code (500 when unlisted). */
export function httpStatusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/** Status, code and a user-facing message for anything a route threw. */
export function describeRouteError(
  route: string,
  error: unknown,
): { status: number; code: ErrorCode; message: string } {
  if (error instanceof AppError) {
    log.warn('http.route.failed', { route, errorCode: error.code.toLowerCase() });
    return {
      status: httpStatusForCode(error.code),
      code: error.code,
      message: error.message,
    };
  }
  log.error('http.route.crashed', {
    route,
    errorName: error instanceof Error ? error.name : typeof error,
  });
  return {
    status: 500,
    code: 'INTERNAL',
    message: 'Unexpected failure; the log has the details.',
  };
}
