"""Seeded splits by tile (never by crop), so no nucleus leaks between splits.

CoNSeP and PanNuke-demo carry types, so they feed every split: train, val
(temperature and model selection), calib (conformal scores) and test (held
out for evaluating the uncertainty outputs). MoNuSeg has no types: it feeds
train and val only, and its val tiles are taken from the exactly rasterised
labels, one per organ, so that validation PQ is not measured against the
approximate maps.
"""
import random

SPLIT_COUNTS = {
    "consep": {"val": 3, "calib": 5, "test": 3},
    "pannuke-demo": {"val": 3, "calib": 5, "test": 3},
}
MONUSEG_VAL_TILES = 4


def split_typed(names, counts, seed):
    order = sorted(names)
    random.Random(seed).shuffle(order)
    splits, start = {}, 0
    for split in ("val", "calib", "test"):
        splits[split] = sorted(order[start : start + counts[split]])
        start += counts[split]
    splits["train"] = sorted(order[start:])
    return splits


def split_monuseg(tiles, seed):
    exact = sorted((t for t in tiles if t.weight == 1.0), key=lambda t: t.name)
    random.Random(seed).shuffle(exact)
    val, organs = [], set()
    for tile in exact:
        if tile.organ not in organs and len(val) < MONUSEG_VAL_TILES:
            val.append(tile.name)
            organs.add(tile.organ)
    train = sorted(t.name for t in tiles if t.name not in val)
    return {"train": train, "val": sorted(val), "calib": [], "test": []}


def make_splits(sources, seed):
    """Returns {source: {split: [tile names]}}."""
    splits = {"monuseg": split_monuseg(sources["monuseg"], seed)}
    for source, counts in SPLIT_COUNTS.items():
        splits[source] = split_typed([t.name for t in sources[source]], counts, seed)
    return splits


def select(sources, splits, split):
    """Tiles of one split, grouped by source."""
    return {
        source: [t for t in tiles if t.name in set(splits[source][split])]
        for source, tiles in sources.items()
    }
