#!/usr/bin/env bash
# Rebuilds the WebAssembly ARGB-to-RGB converter from its C source with Debian's
# clang 14 and wasm-ld (packages clang and lld). The output is committed, so the
# app and its tests need no compiler; a test checks the two still match.
#
#   scripts/build-argb-wasm.sh [output.wasm]
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/src-main/slides/openslide/argb-wasm"
OUTPUT="${1:-$DIR/argb.wasm}"
clang --target=wasm32 -O3 -msimd128 -nostdlib \
  -Wl,--no-entry -Wl,--import-memory -Wl,--export=__heap_base \
  -o "$OUTPUT" "$DIR/argb.c"
