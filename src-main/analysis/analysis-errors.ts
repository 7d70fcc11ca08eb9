/**
 * Errors raised by the analysis job itself (the slide, bundle and store layers
 * raise their own). Messages say what to do; none names the slide file.
 */
import { AppError } from '../../src-shared/errors';

/** The slide records no pixel size and the user supplied none. */
export class AnalysisMissingMppError extends AppError {
  constructor() {
    super(
      'SLIDE_MISSING_MPP',
      'The slide does not record its pixel size (micrometres per pixel), so nuclei ' +
        'cannot be found at the scale the model expects. If you know the scan ' +
        'resolution, pass it with --mpp <value> (for example --mpp 0.25 for a 40x ' +
        'scan, --mpp 0.5 for 20x); the value is recorded as user-supplied.',
    );
  }
}

/** A user-supplied mpp or region is not usable. */
export class AnalysisOptionsError extends AppError {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

/**
 * The job was cancelled. Not a failure: batches committed before the cancel stay
 * and a later run resumes from them.
 */
export class AnalysisCancelledError extends AppError {
  constructor() {
    super(
      'ANALYSIS_CANCELLED',
      'The analysis was cancelled. Tiles already finished are kept; run it again to ' +
        'resume where it stopped.',
    );
  }
}
