/**
 * Errors of the triage module. Each message names the bad value and what the user
 * or the site's IT person can do about it.
 */
import { AppError, type ErrorCode } from '../../src-shared/errors';

/** Base of the triage errors. */
export class TriageError extends AppError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The bundle's calibration does not fit its model output (e.g. embedding length). */
export class CalibrationMismatchError extends TriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(
      'BUNDLE_INVALID',
      `${message} Rebuild or re-import the model bundle; its calibration does not match.`,
      options,
    );
  }
}

/** A site profile failed validation. */
export class SiteProfileInvalidError extends TriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(
      'SITE_PROFILE_INVALID',
      `The site profile is invalid: ${message} Fix the profile file or restore the default.`,
      options,
    );
  }
}
