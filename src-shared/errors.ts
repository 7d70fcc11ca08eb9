/**
 * Error codes that cross process boundaries (IPC, the command line, the worker).
 * Each names a situation the user can act on; the message says how.
 */
export const ERROR_CODES = [
  'SLIDE_NOT_FOUND',
  'SLIDE_NOT_A_FILE',
  'SLIDE_PERMISSION_DENIED',
  'SLIDE_EMPTY',
  'SLIDE_UNSUPPORTED_FORMAT',
  'SLIDE_NEEDS_OPENSLIDE',
  'SLIDE_CORRUPT',
  'SLIDE_TOO_LARGE',
  'SLIDE_READ_FAILED',
  'SLIDE_MISSING_MPP',
  'ASSOCIATED_IMAGE_HIDDEN',
  'BUNDLE_INVALID',
  'BUNDLE_TAMPERED',
  'BUNDLE_SHAPE_MISMATCH',
  'INFERENCE_FAILED',
  'STORE_FAILED',
  'STORE_DISK_FULL',
  'STORE_LOCKED',
  'STORE_SCHEMA_TOO_NEW',
  'STORE_NOT_FOUND',
  'EXPORT_FAILED',
  'ANALYSIS_NOT_FOUND',
  'ANALYSIS_CANCELLED',
  'ANALYSIS_IN_PROGRESS',
  'INVALID_PAYLOAD',
  'INVALID_OPTION',
  'FORBIDDEN_SENDER',
  'PATH_OUTSIDE_ROOT',
  'SITE_PROFILE_INVALID',
  'INTERNAL',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error half of an IPC result: a stable code and a message a user can act on. */
export interface AppErrorInfo {
  code: ErrorCode;
  message: string;
}

/** What every IPC handler returns: a value, or an error; never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorInfo };

/** Wraps a value as a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps a code and message as a failed {@link Result}. */
export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/**
 * Base of the domain errors thrown inside main and the worker; carries a code so
 * the IPC layer and the command line can report it without string matching.
 */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
