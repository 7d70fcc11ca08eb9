import { createHash, randomBytes } from 'node:crypto';

let salt = process.env.CELLVIT_LOG_SALT ?? randomBytes(16).toString('hex');

/**
 * A short salted hash that stands for a slide in logs: stable within one run,
 * meaningless outside it, so a log line can be correlated but never traced back
 * to a file name or accession number.
 */
export function slideRef(slideId: string | number): string {
  return createHash('sha256').update(`${salt}:${slideId}`).digest('hex').slice(0, 10);
}

/** Replaces the salt (tests only, to make references reproducible). */
export function setSlideRefSalt(value: string): void {
  salt = value;
}
