/**
 * Run as a child process: reads random 256x256 level-0 regions of a slide through
 * OpenSlide, bound here directly so that nothing but the optional heap tuning
 * changes the allocator, and prints the minor page faults per read as JSON.
 *
 *   node --import tsx page-fault-probe.ts <slide> tuned|untuned
 */
import koffi from 'koffi';
import { keepTileBuffersOnHeap } from '../../../../../src-main/slides/openslide/heap-tuning';

const REGION_PX = 256;
const HANDLES = 4;
const READS_PER_HANDLE = 40;

function bindOpenSlide() {
  const lib = ['libopenslide.so.1', 'libopenslide.so.0']
    .map((name) => {
      try {
        return koffi.load(name);
      } catch {
        return null;
      }
    })
    .find((candidate) => candidate !== null);
  if (!lib) throw new Error('libopenslide is not installed');
  return {
    open: lib.func('void *openslide_open(const char *path)'),
    close: lib.func('void openslide_close(void *osr)'),
    dims: lib.func(
      'void openslide_get_level0_dimensions(void *osr, _Out_ int64_t *w, _Out_ int64_t *h)',
    ),
    read: lib.func(
      'void openslide_read_region(void *osr, _Out_ uint32_t *dest, int64_t x, int64_t y, int32_t level, int64_t w, int64_t h)',
    ),
  };
}

/** Reads from a freshly opened handle, so OpenSlide's tile cache starts cold. */
function readWithNewHandle(slidePath: string, seed: number): number {
  const openSlide = bindOpenSlide();
  const handle: unknown = openSlide.open(slidePath);
  const w = [0];
  const h = [0];
  openSlide.dims(handle, w, h);
  const dest = new Uint32Array(REGION_PX * REGION_PX);
  let state = seed;
  const next = (limit: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * (limit - REGION_PX));
  };
  const before = process.resourceUsage().minorPageFault;
  for (let i = 0; i < READS_PER_HANDLE; i++) {
    openSlide.read(handle, dest, next(Number(w[0])), next(Number(h[0])), 0, 256, 256);
  }
  const faults = process.resourceUsage().minorPageFault - before;
  openSlide.close(handle);
  return faults;
}

const [slidePath, mode] = process.argv.slice(2);
if (!slidePath || (mode !== 'tuned' && mode !== 'untuned')) {
  throw new Error('usage: page-fault-probe.ts <slide> tuned|untuned');
}
const isTuned = mode === 'tuned' ? keepTileBuffersOnHeap() : false;
readWithNewHandle(slidePath, 1);
let faults = 0;
for (let handle = 0; handle < HANDLES; handle++) {
  faults += readWithNewHandle(slidePath, 1000 + handle);
}
process.stdout.write(
  JSON.stringify({ isTuned, faultsPerRead: faults / (HANDLES * READS_PER_HANDLE) }),
);
