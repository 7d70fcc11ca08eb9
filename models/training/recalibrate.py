"""Rewrites a bundle from a finished training run without training again.

    /usr/bin/python3 -m models.training.recalibrate --data ../shared/data \
        --run-dir models/training/runs/v1.2 --out models/cellvit-optimus-default

loads the run's best.pt, fits the calibration on the held-out splits (the
same seeded splits build_bundle made), exports ONNX, checks it against torch
and writes calibration.json, the model card and the manifest. The run folder
is only read: training facts come from its last checkpoint. Use it when the
calibration code changes after a model has been trained.
"""
import argparse
import json
from pathlib import Path
from types import SimpleNamespace

import torch

from .build_bundle import prepare_tiles, write_bundle
from .train import TrainConfig

CONFIG_FIELDS = (
    "steps",
    "batch_size",
    "crop_px",
    "seed",
    "learning_rate",
    "source_weights",
    "init_from",
    "low_resolution_share",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder holding monuseg/, consep/, pannuke-breast-demo/")
    parser.add_argument("--run-dir", required=True, help="finished run holding best.pt (only read)")
    parser.add_argument("--out", required=True, help="bundle folder to (re)write")
    parser.add_argument("--target-mpp", type=float, default=0.25)
    parser.add_argument("--mpp-comparison", help="JSON written by compare_mpp, quoted in the model card")
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args(argv)


def finished_run(run_dir):
    """What write_bundle reads of a trainer, from the run's last (else best) checkpoint."""
    run_dir = Path(run_dir)
    if not (run_dir / "best.pt").exists():
        raise FileNotFoundError(f"{run_dir} holds no best.pt: train first with build_bundle.")
    state_path = run_dir / "last.pt" if (run_dir / "last.pt").exists() else run_dir / "best.pt"
    state = torch.load(state_path)
    saved_config = state.get("config", {})
    config = TrainConfig(**{k: saved_config[k] for k in CONFIG_FIELDS if k in saved_config})
    return SimpleNamespace(run_dir=run_dir, step=state["step"], seconds=state["seconds"], config=config)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    trainer = finished_run(args.run_dir)
    # The run's splits were checked against the bundle it continued from when it trained.
    bundle_args = SimpleNamespace(**vars(args), seed=trainer.config.seed, smoke=False, init_from=None)
    tiles, splits = prepare_tiles(bundle_args)
    summary = write_bundle(bundle_args, trainer, tiles, splits)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
