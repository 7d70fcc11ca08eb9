#!/usr/bin/env bash
# Installs the Debian packages the app, its training tools and its tests use:
#   libopenslide0            the reference slide reader (loaded through koffi)
#   python3-openslide        the reference the slide benchmark compares against
#   python3-torch, -onnx     training and exporting the embedded default model
#   python3-numpy/-scipy/-skimage/-pil  training data, watershed, independent test fixtures
#   chromium, fonts          the end-to-end tests and benchmarks drive the real UI
#   build-essential, python3 node-gyp, when a native module has no prebuilt binary
#   clang, lld               rebuild the WebAssembly pixel converter, which a test
#                            compares against the committed .wasm
# Run as root (or through sudo). Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=''
if [ "$(id -u)" -ne 0 ]; then SUDO='sudo'; fi

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libopenslide0 python3-openslide python3-numpy python3-scipy python3-skimage python3-pil \
  python3-torch python3-onnx chromium fonts-dejavu-core build-essential python3 \
  clang lld >/dev/null
echo "system packages installed"
