/**
 * Errors raised while loading a model bundle or running its sessions. Each message
 * names the bundle field or file at fault and what the site can do about it.
 */
import { AppError } from '../../src-shared/errors';

/** The manifest or a file of the bundle breaks the bundle format. */
export class BundleInvalidError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BUNDLE_INVALID', message, options);
  }
}

/** A file's bytes do not match the sha256 or size the manifest records. */
export class BundleTamperedError extends AppError {
  constructor(message: string) {
    super('BUNDLE_TAMPERED', message);
  }
}

/** A session's inputs or outputs differ from what the manifest declares. */
export class BundleShapeMismatchError extends AppError {
  constructor(message: string) {
    super('BUNDLE_SHAPE_MISMATCH', message);
  }
}

/** ONNX Runtime failed while running a batch. */
export class InferenceFailedError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INFERENCE_FAILED', message, options);
  }
}
