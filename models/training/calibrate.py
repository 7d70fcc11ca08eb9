"""Fits everything in calibration.json from held-out splits of a trained model.

val: temperatures and review thresholds; calib: conformal scores; train:
the OOD reference. MoNuSeg's own test tiles are never read here.
"""
import numpy as np
import torch

from .classes import IGNORE
from .conformal_scores import conformal_block, nucleus_type_probabilities
from .crops import normalise
from .inference import predict_tile
from .ood_reference import fit_reference
from .review_thresholds import mean_set_size, review_thresholds, window_entropies
from .temperature import fit_temperature

PIXEL_STRIDE = 3
CROP_PX = 256
CROP_STRIDE_PX = 248
ALPHA_FOR_SET_SIZE = 0.1


def pixel_samples(maps, tile):
    """np logits/labels on a pixel grid, and nt logits/labels on typed nucleus pixels."""
    grid = (slice(None), slice(None, None, PIXEL_STRIDE), slice(None, None, PIXEL_STRIDE))
    np_logits = maps["np"][grid].reshape(2, -1).T
    np_labels = (tile.inst[grid[1:]] > 0).ravel().astype(int)
    typed = (tile.types > 0) & (tile.types != IGNORE)
    return np_logits, np_labels, maps["nt"][:, typed].T, tile.types[typed].astype(int)


def fit_temperatures(predictions):
    """predictions: list of (maps, tile) on the val split."""
    samples = [pixel_samples(maps, tile) for maps, tile in predictions]
    np_logits, np_labels, nt_logits, nt_labels = (np.concatenate(s) for s in zip(*samples))
    nt_temperature = fit_temperature(nt_logits, nt_labels) if len(nt_labels) else None
    return {"np": fit_temperature(np_logits, np_labels), "nt": nt_temperature, "organ": None}


def nucleus_probabilities(predictions, temperature):
    parts = [nucleus_type_probabilities(m["nt"], t.inst, t.types, temperature) for m, t in predictions]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def crop_embeddings(model, tiles):
    """Embeddings of 256 px crops on a regular grid over each tile, as the app tiles."""
    crops = []
    for tile in tiles:
        rows, cols = tile.inst.shape
        for top in range(0, rows - CROP_PX + 1, CROP_STRIDE_PX):
            for left in range(0, cols - CROP_PX + 1, CROP_STRIDE_PX):
                crops.append(tile.image[top : top + CROP_PX, left : left + CROP_PX])
    embeddings = []
    with torch.no_grad():
        for start in range(0, len(crops), 16):
            batch = np.stack(crops[start : start + 16]).astype(np.float32) / 255.0
            embeddings.append(model(normalise(torch.from_numpy(batch).permute(0, 3, 1, 2)))[3].numpy())
    return np.concatenate(embeddings)


def conformal_quantile(scores, alpha):
    rank = int(np.ceil((len(scores) + 1) * (1 - alpha) - 1e-9))
    return float(np.sort(scores)[rank - 1]) if 0 < rank <= len(scores) else np.inf


def calibrate(model, tiles_by_split, split_names):
    """tiles_by_split: {"train"|"val"|"calib": [Tile]}. Returns (calibration.json object, counts)."""
    model.eval()
    val = [(predict_tile(model, t.image), t) for t in tiles_by_split["val"]]
    temperatures = fit_temperatures(val)
    nt_t = temperatures["nt"] or 1.0
    calib = [(predict_tile(model, t.image), t) for t in tiles_by_split["calib"]]
    probs, true = nucleus_probabilities(calib, nt_t)
    description = f"calib split: {', '.join(sorted({t.source for t in tiles_by_split['calib']}))} tiles, {len(true)} typed nuclei"
    conformal = conformal_block(probs, true, description)
    lac_q = conformal_quantile(np.array(conformal["lac"]), ALPHA_FOR_SET_SIZE)
    windows = [v for maps, _ in val for v in window_entropies(maps, {"np": temperatures["np"], "nt": nt_t})]
    sizes = [mean_set_size(nucleus_probabilities([(m, t)], nt_t)[0], lac_q) for m, t in val]
    embeddings = crop_embeddings(model, tiles_by_split["train"])
    calibration = {
        "temperature": temperatures,
        "conformal": {"nt": conformal},
        "ood": fit_reference(embeddings),
        "thresholds": review_thresholds(windows, sizes),
        "splits": split_names,
    }
    return calibration, {"oodCount": len(embeddings), "conformalCount": len(true)}
