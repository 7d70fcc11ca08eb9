/**
 * Domain errors of the slide layer. Each carries an {@link ErrorCode} and a
 * message that says what is wrong and what the user can do; none names the file.
 */
import { AppError } from '../../src-shared/errors';

/** The path does not exist. */
export class SlideNotFoundError extends AppError {
  constructor() {
    super(
      'SLIDE_NOT_FOUND',
      'The slide file does not exist. Check the path and try again.',
    );
  }
}

/** The path exists but is a directory or another non-regular file. */
export class SlideNotAFileError extends AppError {
  constructor() {
    super(
      'SLIDE_NOT_A_FILE',
      'The path is a folder or a special file, not a slide. Choose the slide file itself ' +
        '(multi-file DICOM series folders are not supported yet).',
    );
  }
}

/** The process may not read the file. */
export class SlidePermissionDeniedError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(
      'SLIDE_PERMISSION_DENIED',
      'The slide file cannot be read: permission denied. Ask your administrator for read access.',
      options,
    );
  }
}

/** The file has zero bytes. */
export class EmptySlideError extends AppError {
  constructor() {
    super(
      'SLIDE_EMPTY',
      'The slide file is empty (0 bytes). Copy the slide again from its source.',
    );
  }
}

/** No reader recognises the file. */
export class UnsupportedSlideFormatError extends AppError {
  constructor(detail: string) {
    super(
      'SLIDE_UNSUPPORTED_FORMAT',
      `This file is not a supported slide format (${detail}). Supported: Aperio SVS, ` +
        'pyramidal TIFF, OME-TIFF, DICOM-WSI, PNG/JPEG/TIFF images, and every format ' +
        'OpenSlide reads when it is installed.',
    );
  }
}

/** The format is recognised but only OpenSlide decodes it, and OpenSlide is absent. */
export class SlideNeedsOpenSlideError extends AppError {
  constructor(formatName: string) {
    super(
      'SLIDE_NEEDS_OPENSLIDE',
      `${formatName} slides can only be read with the OpenSlide library, which is not ` +
        'installed on this workstation. Ask your administrator to install OpenSlide.',
    );
  }
}

/** The file is damaged: truncated, inconsistent or undecodable. */
export class CorruptSlideError extends AppError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'SLIDE_CORRUPT',
      `The slide file is damaged (${detail}). Copy it again from the scanner or archive.`,
      options,
    );
  }
}

/** A dimension or request exceeds what the workstation can safely hold. */
export class SlideTooLargeError extends AppError {
  constructor(detail: string) {
    super('SLIDE_TOO_LARGE', `${detail} Request a smaller region or a lower level.`);
  }
}

/** A read failed for a reason that is not damage to the file (I/O, decoder). */
export class SlideReadError extends AppError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('SLIDE_READ_FAILED', `Reading the slide failed: ${detail}.`, options);
  }
}

/** An associated image (label, macro) was requested without consent to see identifiers. */
export class AssociatedImageHiddenError extends AppError {
  constructor() {
    super(
      'ASSOCIATED_IMAGE_HIDDEN',
      'Label and macro images may show patient identifiers and are hidden by default. ' +
        'Request them explicitly with identifying images allowed.',
    );
  }
}
