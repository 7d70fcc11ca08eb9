"""Validation PQ and AJI over tiles, used for model selection."""
import numpy as np

from .inference import predict_tile, softmax
from .metrics import aggregated_jaccard, panoptic_quality
from .postprocess import instances


def segment(model, tile):
    maps = predict_tile(model, tile.image)
    return instances(softmax(maps["np"])[1], maps["hv"])


def evaluate(model, tiles):
    """Per-source mean PQ and AJI, and the selection score (mean PQ over all tiles)."""
    model.eval()
    scores = {}
    for tile in tiles:
        pred = segment(model, tile)
        scores.setdefault(tile.source, []).append(
            (panoptic_quality(tile.inst, pred), aggregated_jaccard(tile.inst, pred))
        )
    summary = {
        source: {"pq": float(np.mean([s[0] for s in v])), "aji": float(np.mean([s[1] for s in v])), "tiles": len(v)}
        for source, v in scores.items()
    }
    summary["selection_pq"] = float(np.mean([s[0] for v in scores.values() for s in v]))
    return summary
