"""Writes manifest.json for a single-graph bundle (models/BUNDLE_FORMAT.md, version 1)."""
import hashlib
import json
from pathlib import Path

from .classes import NUCLEUS_CLASSES
from .crops import MEAN, STD
from .network import HV_CHANNELS, NP_CHANNELS, NT_CHANNELS
from .postprocess import DEFAULT_PARAMS

BUNDLE_ID = "cellvit-optimus-default"
BUNDLE_VERSION = "1.1.0"
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
        "postprocessing": dict(DEFAULT_PARAMS),
        "files": [file_entry(folder, name) for name in files],
    }
    (Path(folder) / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
