"""Writes manifest.json for a single-graph bundle (models/BUNDLE_FORMAT.md, version 1)."""
import hashlib
import json
from pathlib import Path

from .classes import NUCLEUS_CLASSES
from .crops import MEAN, STD
from .network import HV_CHANNELS, NP_CHANNELS, NT_CHANNELS
from .postprocess import DEFAULT_PARAMS

# The app's post-processing (src-main/nuclei) computes the marker energy with a 21-tap
# Sobel at a fixed scale, unlike the training code's validation (postprocess.py), so
# its marker threshold is chosen separately, through the app on the validation split
# (`npm run eval:nuclei` on the val tiles named in calibration.json): 0.4 -> 0.6 raised
# MoNuSeg val PQ 0.390 -> 0.474 and CoNSeP val PQ 0.126 -> 0.355 (0.5, 0.7, 0.8 lower).
APP_MARKER_THRESHOLD = 0.6

# The smallest nucleus the app keeps, in pixels at 0.25 mpp (120 px = 7.5 square
# microns), chosen the same way on the same split with the network of 1.2.0: the
# model leaves small fragments on stroma and at the rims of real nuclei, and 10 ->
# 120 px raised MoNuSeg val PQ 0.495 -> 0.531, CoNSeP val+calib 0.314 -> 0.326 and
# PanNuke-demo val+calib 0.514 -> 0.524 with AJI unchanged; past 160 px CoNSeP's
# small lymphocytes go (220 px: CoNSeP 0.260). The training code's own validation
# keeps 10 px.
APP_MIN_AREA_PX = 120

# The app's post-processing kernels and slope range were set at 0.25 mpp (a 21-tap
# Sobel as in HoVer-Net, a 5 px marker opening, the slope range measured on the 0.25
# mpp bundle's output; src-main/nuclei/marker-energy.ts). At a coarser scale a nucleus
# spans fewer pixels, so the apertures shrink and the slopes per pixel steepen by the
# same factor; the marker threshold is then chosen again on the validation split.
APP_SCALE_MPP = 0.25
APP_GRADIENT_KERNEL_PX = 21
APP_MARKER_OPENING_PX = 5
APP_SLOPE_RANGE_PER_PX = {"min": -0.052, "max": 0.063}

BUNDLE_ID = "cellvit-optimus-default"
BUNDLE_VERSION = "1.3.0"
OVERLAP_PX = 32


def file_entry(folder, name):
    data = (Path(folder) / name).read_bytes()
    return {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def graph_spec(tile_px, embedding_dim):
    def io(name, *dims):
        return {"name": name, "dtype": "float32", "shape": ["batch", *dims]}

    return {
        "role": "model",
        "file": "model.onnx",
        "inputs": [io("image", 3, tile_px, tile_px)],
        "outputs": [
            io("np", NP_CHANNELS, tile_px, tile_px),
            io("hv", HV_CHANNELS, tile_px, tile_px),
            io("nt", NT_CHANNELS, tile_px, tile_px),
            io("embedding", embedding_dim),
        ],
    }


def odd_kernel_px(value):
    """The odd kernel edge nearest to `value`, at least 3 (ties go up)."""
    px = max(3, int(value + 0.5))
    return px if px % 2 else px + 1


def postprocessing_for(target_mpp, marker_threshold=APP_MARKER_THRESHOLD):
    """The manifest's post-processing settings for a bundle at `target_mpp`."""
    params = {
        **DEFAULT_PARAMS,
        "markerThreshold": marker_threshold,
        "minAreaPx": APP_MIN_AREA_PX,
    }
    if target_mpp == APP_SCALE_MPP:
        return params
    shrink = APP_SCALE_MPP / target_mpp
    return {
        **params,
        "minAreaPx": max(1, round(APP_MIN_AREA_PX * shrink * shrink)),
        "gradientKernelPx": odd_kernel_px(APP_GRADIENT_KERNEL_PX * shrink),
        "slopeRangePerPx": {k: v / shrink for k, v in APP_SLOPE_RANGE_PER_PX.items()},
        "markerOpeningPx": odd_kernel_px(APP_MARKER_OPENING_PX * shrink),
    }


def write_manifest(folder, *, tile_px, target_mpp, embedding_dim, files, version=BUNDLE_VERSION):
    """`files` are the bundle's other files, hashed as they are on disk now."""
    manifest = {
        "formatVersion": 1,
        "id": BUNDLE_ID,
        "version": version,
        "kind": "embedded-default",
        "intendedUse": "pre-triage",
        "description": "Compact nuclei segmentation and typing for pre-triage of H&E slides; "
        "research and demonstration only, never a diagnosis.",
        "input": {
            "tileSizePx": tile_px,
            "targetMpp": target_mpp,
            "recommendedOverlapPx": OVERLAP_PX,
            "normalisation": {"mean": list(MEAN), "std": list(STD)},
            "layout": "NCHW",
        },
        "stages": "single",
        "graphs": [graph_spec(tile_px, embedding_dim)],
        "outputs": {name: {"graph": "model", "name": name} for name in ("np", "hv", "nt", "embedding")},
        "nucleusClasses": NUCLEUS_CLASSES,
        "organs": [],
        "postprocessing": postprocessing_for(target_mpp),
        "files": [file_entry(folder, name) for name in files],
    }
    (Path(folder) / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
