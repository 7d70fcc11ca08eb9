/**
 * The contract's ids are opaque strings; the store's are integers. These convert at
 * the boundary and refuse anything that is not a stored id's decimal form.
 */
import { AppError, type ErrorCode } from '../../src-shared/errors';

function parseId(id: string, code: ErrorCode, what: string): number {
  if (!/^[1-9]\d{0,15}$/.test(id)) throw new AppError(code, `No ${what} with that id.`);
  return Number(id);
}

/** Store id of a slide id (`SLIDE_NOT_FOUND` when malformed). */
export function slideStoreId(slideId: string): number {
  return parseId(slideId, 'SLIDE_NOT_FOUND', 'slide');
}

/** Store id of an analysis id (`ANALYSIS_NOT_FOUND` when malformed). */
export function analysisStoreId(analysisId: string): number {
  return parseId(analysisId, 'ANALYSIS_NOT_FOUND', 'analysis');
}

/** Store id of an ROI id (`STORE_NOT_FOUND` when malformed). */
export function roiStoreId(roiId: string): number {
  return parseId(roiId, 'STORE_NOT_FOUND', 'region of interest');
}

/** The contract form of a store id. */
export function toContractId(storeId: number): string {
  return String(storeId);
}

/** A Node `Buffer` as a standalone `ArrayBuffer` (what IPC and the envelope carry). */
export function toArrayBuffer(view: ArrayBufferView): ArrayBuffer {
  return view.buffer.slice(
    view.byteOffset,
    view.byteOffset + view.byteLength,
  ) as ArrayBuffer;
}
