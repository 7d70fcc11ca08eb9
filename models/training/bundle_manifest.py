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

BUNDLE_ID = "cellvit-optimus-default"
BUNDLE_VERSION = "1.2.0"
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
        "postprocessing": {**DEFAULT_PARAMS, "markerThreshold": APP_MARKER_THRESHOLD},
        "files": [file_entry(folder, name) for name in files],
    }
    (Path(folder) / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
