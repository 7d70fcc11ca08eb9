/** Reads a small JSON request body for the loopback server, with a size cap. */
import type { IncomingMessage } from 'node:http';
import { fail, ok, type Result } from '../../src-shared/errors';

/** Requests are small (ids, rectangles, settings); pixels never travel this way. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** The parsed body, or `INVALID_PAYLOAD` when it is too large or not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<Result<unknown>> {
  const chunks: Buffer[] = [];
  let totalBytes = 0;
  for await (const chunk of request) {
    totalBytes += (chunk as Buffer).length;
    if (totalBytes > MAX_REQUEST_BYTES) {
      return fail('INVALID_PAYLOAD', `Request body over ${MAX_REQUEST_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return ok({});
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return fail(
      'INVALID_PAYLOAD',
      `Request body is not JSON (${(error as Error).name}).`,
    );
  }
}
