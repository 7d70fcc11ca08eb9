/**
 * Errors of the nuclei evaluation's inputs: each message names the bad value and
 * what was expected, in one line, so the command can print it as is.
 */

/** A folder, image or label file the evaluation cannot use. */
export class EvaluationInputError extends Error {
  override readonly name = 'EvaluationInputError';
  readonly code = 'EVALUATION_INPUT';
}
