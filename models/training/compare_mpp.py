"""Short comparison of target resolutions: validation PQ/AJI and CPU cost per area.

Each resolution trains the same network for the same number of steps (or,
with --minutes alone, the same wall-clock budget) on the same train tiles
resampled to that mpp; on a shared machine only a step budget is fair.
Predictions are upsampled to the native 0.25 mpp grid before
post-processing, so both are scored against the original labels with the
same parameters.

    /usr/bin/python3 -m models.training.compare_mpp --data ../shared/data \
        --out models/training/runs/mpp-comparison.json --steps 2000
"""
import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .data_sources import NATIVE_MPP, load_all, resample
from .inference import predict_tile, softmax
from .metrics import aggregated_jaccard, panoptic_quality
from .postprocess import instances
from .splits import make_splits, select
from .train import Trainer, TrainConfig

AREA_PX_AT_NATIVE = 1000  # one 250 x 250 um field at 0.25 mpp
TILE_PX = 256


def upsample(maps, factor, shape):
    if factor == 1:
        return maps
    tensor = torch.from_numpy(maps)[None]
    return F.interpolate(tensor, size=shape, mode="bilinear", align_corners=False)[0].numpy()


def score(model, native_tiles, factor):
    model.eval()
    results = []
    for tile in native_tiles:
        maps = predict_tile(model, resample(tile, factor).image)
        np_prob = upsample(softmax(maps["np"]), factor, tile.inst.shape)[1]
        pred = instances(np_prob, upsample(maps["hv"], factor, tile.inst.shape))
        results.append((panoptic_quality(tile.inst, pred), aggregated_jaccard(tile.inst, pred)))
    return float(np.mean([r[0] for r in results])), float(np.mean([r[1] for r in results]))


def ms_per_tile(model):
    torch.set_num_threads(1)
    image = torch.zeros(1, 3, TILE_PX, TILE_PX)
    with torch.no_grad():
        model.eval()(image)
        started = time.time()
        for _ in range(5):
            model(image)
    return (time.time() - started) / 5 * 1000


def run_one(args, sources, splits, mpp):
    factor = int(round(mpp / NATIVE_MPP))
    train = {s: [resample(t, factor) for t in tiles] for s, tiles in select(sources, splits, "train").items()}
    val_native = [t for tiles in select(sources, splits, "val").values() for t in tiles if t.source != "pannuke-demo"]
    deadline = time.time() + args.minutes * 60 if args.steps is None else math.inf
    config = TrainConfig(steps=args.steps or 100000, batch_size=4, crop_px=192,
                         validate_every=10**9, deadline_unix=deadline, checkpoint_seconds=1e9)
    torch.set_num_threads(args.threads)
    trainer = Trainer(config, train, [resample(t, factor) for t in val_native], Path(args.run_dir) / f"mpp-{mpp}")
    trainer.run()
    pq, aji = score(trainer.model, val_native, factor)
    tiles_per_area = (AREA_PX_AT_NATIVE / factor / TILE_PX) ** 2
    cost = ms_per_tile(trainer.model) * tiles_per_area
    return {"mpp": mpp, "pq": pq, "aji": aji, "steps": trainer.step, "msPerArea": cost}


def main():
    parser = argparse.ArgumentParser(description="compare target mpp")
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--run-dir", default="models/training/runs/mpp")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--steps", type=int, default=None, help="train each run this many steps (overrides --minutes)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    args = parser.parse_args()
    sources = load_all(args.data)
    splits = make_splits(sources, args.seed)
    runs = [run_one(args, sources, splits, mpp) for mpp in (0.25, 0.5)]
    best = max(runs, key=lambda r: r["pq"])
    budget = f"{args.steps} steps" if args.steps else f"{args.minutes:g} min"
    report = {
        "method": f"Each resolution trained {budget} (batch 4, 192 px crops, {args.threads} thread(s), on a "
        "shared machine) and scored on the MoNuSeg and CoNSeP validation tiles at the native grid. "
        "CPU ms per 250x250 um field = torch ms per 256 px tile (1 thread) x tiles per field.",
        "runs": runs,
        "conclusion": f"{best['mpp']} mpp gave the higher validation PQ in this short run.",
    }
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
