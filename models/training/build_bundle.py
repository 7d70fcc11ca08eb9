"""Builds the embedded default bundle from the public training data, in one command.

    /usr/bin/python3 -m models.training.build_bundle --data ../shared/data \
        --out models/cellvit-optimus-default

trains (resuming from --run-dir if interrupted), calibrates on held-out
splits, exports ONNX, checks ONNX Runtime against torch and writes the bundle.
--smoke does the same on a tiny subset in about a minute.
"""
import argparse
import calendar
import json
import shutil
import time
from pathlib import Path

import torch

from .augment import low_resolution_probability
from .bundle_manifest import BUNDLE_ID, BUNDLE_VERSION, write_manifest
from .calibrate import calibrate
from .data_sources import NATIVE_MPP, load_all, resample
from .export_onnx import OPSET, check_parity, export
from .model_card import write_model_card
from .network import count_parameters
from .splits import make_splits, select
from .train import Trainer, TrainConfig, load_model
from .validation import evaluate
from .warm_start import bundle_splits

TILE_PX = 256
SMOKE_TILES = {"train": 2, "val": 1, "calib": 1}
BUNDLE_FILES = ["model.onnx", "calibration.json", "MODEL_CARD.md"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder holding monuseg/, consep/, pannuke-breast-demo/")
    parser.add_argument("--out", required=True, help="bundle folder to (re)write")
    parser.add_argument("--run-dir", default="models/training/runs/default")
    parser.add_argument("--steps", type=int, default=TrainConfig.steps)
    parser.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    parser.add_argument("--crop-px", type=int, default=TrainConfig.crop_px, help="training crop edge")
    parser.add_argument("--target-mpp", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--validate-every", type=int, default=TrainConfig.validate_every, help="steps between validations")
    parser.add_argument("--deadline-utc", help="HH:MM today (UTC): stop training then and keep the best checkpoint")
    parser.add_argument("--mpp-comparison", help="JSON written by compare_mpp, quoted in the model card")
    parser.add_argument("--smoke", action="store_true", help="tiny subset, a few steps")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=TrainConfig.learning_rate, help="peak")
    parser.add_argument(
        "--init-from",
        help="bundle folder to continue training from (same network and splits; its folded "
        "batch norms stay frozen)",
    )
    return parser.parse_args(argv)


def deadline_unix(hhmm):
    if not hhmm:
        return float("inf")
    hours, minutes = (int(x) for x in hhmm.split(":"))
    today = time.gmtime()
    return calendar.timegm((today.tm_year, today.tm_mon, today.tm_mday, hours, minutes, 0))


def shrink_splits(splits, counts):
    """Smoke builds keep the first few tiles of each split."""
    return {
        source: {split: names[: counts.get(split, 0)] for split, names in by_split.items()}
        for source, by_split in splits.items()
    }


def prepare_tiles(args):
    sources = load_all(args.data)
    factor = int(round(args.target_mpp / NATIVE_MPP))
    sources = {s: [resample(t, factor) for t in tiles] for s, tiles in sources.items()}
    splits = make_splits(sources, args.seed)
    if args.init_from and bundle_splits(args.init_from) != splits:
        raise SystemExit(
            f"--seed {args.seed} splits the tiles unlike the bundle in {args.init_from}: "
            "continuing from it would train on tiles it held out"
        )
    if args.smoke:
        splits = shrink_splits(splits, SMOKE_TILES)
    tiles = {split: select(sources, splits, split) for split in ("train", "val", "calib")}
    return tiles, splits


def flatten(tiles_by_source):
    return [t for tiles in tiles_by_source.values() for t in tiles]


def train_config(args):
    if args.smoke:
        return TrainConfig(steps=3, batch_size=2, warmup_steps=1, validate_every=3, seed=args.seed)
    return TrainConfig(
        steps=args.steps,
        batch_size=args.batch_size,
        crop_px=args.crop_px,
        seed=args.seed,
        validate_every=args.validate_every,
        deadline_unix=deadline_unix(args.deadline_utc),
        learning_rate=args.learning_rate,
        init_from=args.init_from or "",
        low_resolution_share=low_resolution_probability(args.target_mpp),
    )


def training_facts(trainer):
    config = trainer.config
    return {
        "steps": trainer.step,
        "batchSize": config.batch_size,
        "cropPx": config.crop_px,
        "learningRate": config.learning_rate,
        "initFrom": config.init_from or None,
        "lowResolutionShare": config.low_resolution_share,
        "seed": config.seed,
        "sourceWeights": config.source_weights,
        "minutes": trainer.seconds / 60,
    }


def split_record(splits):
    record = {s: {k: v for k, v in by_split.items()} for s, by_split in splits.items()}
    record["monuseg-test"] = "never used for training, selection or calibration"
    return record


def export_and_check(model, out):
    export(model, out / "model.onnx", TILE_PX)
    return check_parity(model, out / "model.onnx", TILE_PX)


def card_facts(args, model, trainer, results, out):
    validation, calibration, counts, parity = results
    comparison_path = Path(args.mpp_comparison) if args.mpp_comparison else None
    has_comparison = comparison_path is not None and comparison_path.exists()
    comparison = json.loads(comparison_path.read_text()) if has_comparison else None
    return {
        "id": BUNDLE_ID,
        "version": BUNDLE_VERSION,
        "smoke": args.smoke,
        "parameters": count_parameters(model),
        "embeddingDim": model.embedding_dim,
        "tilePx": TILE_PX,
        "targetMpp": args.target_mpp,
        "opset": OPSET,
        "onnxBytes": (out / "model.onnx").stat().st_size,
        "msPerTile": parity["msPerTile"],
        "parityMaxAbsDiff": max(parity["maxAbsDiff"].values()),
        "training": training_facts(trainer),
        "validation": validation,
        "mppComparison": comparison,
        "calibration": {
            "temperature": {**calibration["temperature"], "nt": calibration["temperature"]["nt"] or 1.0},
            **counts,
            "shrinkage": calibration["ood"]["shrinkage"],
            "thresholds": calibration["thresholds"],
        },
    }


def write_bundle(args, trainer, tiles, splits):
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    model = load_model(trainer.run_dir / "best.pt")
    validation = evaluate(model, flatten(tiles["val"]))
    calibration, counts = calibrate(model, {k: flatten(v) for k, v in tiles.items()}, split_record(splits))
    parity = export_and_check(model, out)
    (out / "calibration.json").write_text(json.dumps(calibration) + "\n")
    write_model_card(out, card_facts(args, model, trainer, (validation, calibration, counts, parity), out))
    write_manifest(out, tile_px=TILE_PX, target_mpp=args.target_mpp, embedding_dim=model.embedding_dim, files=BUNDLE_FILES)
    return {"validation": validation, "parity": parity, "bytes": sum(p.stat().st_size for p in out.iterdir())}


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    tiles, splits = prepare_tiles(args)
    run_dir = Path(args.run_dir + ("-smoke" if args.smoke and "smoke" not in args.run_dir else ""))
    if args.smoke and run_dir.exists():
        shutil.rmtree(run_dir)
    trainer = Trainer(train_config(args), tiles["train"], flatten(tiles["val"]), run_dir)
    trainer.run()
    summary = write_bundle(args, trainer, tiles, splits)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
