/**
 * Keeps OpenSlide's large, short-lived allocations on glibc's heap. OpenSlide
 * mallocs a buffer for every tile it decodes (a 240x240 RGBA tile is 230 KB) and
 * frees it soon after. Blocks that size are above glibc's default mmap threshold
 * (128 KiB, raised dynamically only up to the largest block freed so far), so
 * each is mapped and unmapped afresh and its pages fault in on every tile:
 * about 24 minor page faults and 45 us per 256x256 read on CMU-1, some 5 % of
 * the read. Fixing the thresholds with `mallopt` keeps them on the heap.
 */
import koffi from 'koffi';
import { createLogger } from '../../logging/logger';

const log = createLogger('slides.openslide');

/** `mallopt` parameters, from glibc's malloc.h. */
const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;

/**
 * Blocks up to 4 MiB come from the heap: a decoded 512x512 RGBA tile (1 MiB,
 * the largest tile size common in slides) and a 1-megapixel read's buffers fit
 * with room to spare, while larger blocks, such as a whole-slide thumbnail,
 * are still mapped and returned to the system on free.
 */
const MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024;

/**
 * Free memory at the top of the heap is returned to the system only past
 * 32 MiB: enough for the tiles of several reads in flight to be freed and
 * reused without the pages going back in between, and small beside OpenSlide's
 * own tile cache (32 MiB per open slide), so the process holds at most that
 * much more than it uses.
 */
const TRIM_THRESHOLD_BYTES = 32 * 1024 * 1024;

let attempted = false;

/**
 * Sets glibc's mmap and trim thresholds for the whole process, once. Returns
 * true when both were set; false, with a debug log, where the C library is not
 * glibc (macOS, Windows, musl) or refuses them, which only costs speed.
 */
export function keepTileBuffersOnHeap(): boolean {
  if (attempted) return false;
  attempted = true;
  if (process.platform !== 'linux' || !isGlibc()) {
    log.debug('slide.heap_tuning.skipped', { reason: 'the C library is not glibc' });
    return false;
  }
  try {
    const mallopt = koffi.load('libc.so.6').func('int mallopt(int param, int value)');
    const isSet =
      mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) === 1 &&
      mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) === 1;
    log.debug('slide.heap_tuning.applied', {
      isSet,
      mmapThresholdBytes: MMAP_THRESHOLD_BYTES,
    });
    return isSet;
  } catch (error) {
    // Documented fallback: reads work as before, only with more page faults.
    log.debug('slide.heap_tuning.skipped', { reason: String(error) });
    return false;
  }
}

/** True when Node reports it runs on glibc (its report header names the version). */
function isGlibc(): boolean {
  const report = process.report?.getReport() as {
    header?: { glibcVersionRuntime?: string };
  };
  return typeof report?.header?.glibcVersionRuntime === 'string';
}
