"""Reads the three annotated sources into in-memory tiles at ~0.25 mpp.

Every source is scanned at 40x (0.246-0.253 mpp); the 1 % spread is below
what resampling could correct without blurring, so tiles are used as read.
"""
import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .classes import CONSEP_TO_NT, IGNORE, PANNUKE_DEMO_TO_NT

NATIVE_MPP = 0.25
# Derived MoNuSeg maps carry up to 16 % extra fragments, so they count half.
DERIVED_LABEL_WEIGHT = 0.5


@dataclass
class Tile:
    name: str
    source: str
    image: np.ndarray  # H x W x 3 uint8, RGB
    inst: np.ndarray  # H x W int32, 0 = background
    types: np.ndarray  # H x W uint8 nt channel, IGNORE where unknown
    weight: float
    organ: str = ""


def read_rgb(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.uint8)


def read_labels(path):
    return np.asarray(Image.open(path)).astype(np.int32)


def map_types(type_map, table):
    lookup = np.full(256, IGNORE, dtype=np.uint8)
    for source_value, channel in table.items():
        lookup[source_value] = channel
    return lookup[type_map.astype(np.uint8)]


def untyped(inst):
    """Background is known (0); the type of every nucleus pixel is not."""
    return np.where(inst > 0, IGNORE, 0).astype(np.uint8)


def load_monuseg(root):
    root = Path(root) / "monuseg" / "train"
    tiles = []
    with open(root / "organ_labels.csv") as handle:
        for row in csv.DictReader(handle):
            name = row["image"]
            inst = read_labels(root / "labels_png" / f"{name}_label.png")
            is_exact = row["label_source"] == "xml_exact"
            weight = 1.0 if is_exact else DERIVED_LABEL_WEIGHT
            image = read_rgb(root / "Tissue_Images" / f"{name}.png")
            tiles.append(Tile(name, "monuseg", image, inst, untyped(inst), weight, row["organ"]))
    return tiles


def load_consep(root):
    root = Path(root) / "consep" / "train"
    names = sorted(p.stem for p in root.glob("*.png") if "_" not in p.stem.replace("train_", ""))
    tiles = []
    for name in names:
        inst = read_labels(root / f"{name}_inst.png")
        types = map_types(np.asarray(Image.open(root / f"{name}_type.png")), CONSEP_TO_NT)
        tiles.append(Tile(name, "consep", read_rgb(root / f"{name}.png"), inst, types, 1.0, "colon"))
    return tiles


def load_pannuke_demo(root):
    root = Path(root) / "pannuke-breast-demo"
    tiles = []
    for path in sorted(root.glob("*.png")):
        inst = read_labels(root / "labels_png" / f"{path.stem}_inst.png")
        raw_types = np.asarray(Image.open(root / "labels_png" / f"{path.stem}_type.png"))
        types = map_types(raw_types, PANNUKE_DEMO_TO_NT)
        tiles.append(Tile(path.stem, "pannuke-demo", read_rgb(path), inst, types, 1.0, "breast"))
    return tiles


def load_all(root):
    return {
        "monuseg": load_monuseg(root),
        "consep": load_consep(root),
        "pannuke-demo": load_pannuke_demo(root),
    }


def resample(tile, factor):
    """Downsample a tile by an integer factor (area average for pixels, nearest for labels)."""
    if factor == 1:
        return tile
    height, width = (s // factor for s in tile.inst.shape)
    image = np.asarray(Image.fromarray(tile.image).resize((width, height), Image.BOX))
    pick = (slice(0, height * factor, factor), slice(0, width * factor, factor))
    return Tile(tile.name, tile.source, image, tile.inst[pick], tile.types[pick], tile.weight, tile.organ)
