"""Per-nucleus calibration and conformal coverage of a checkpoint, split by split.

    /usr/bin/python3 -m models.training.calibration_report --data ../shared/data \
        --checkpoint models/training/runs/v1.2/best.pt

fits the nt temperature on the val split and the conformal scores on the
calib split exactly as calibrate.py does, then prints ECE (15 bins), NLL and
Brier at T = 1 and at that temperature, and the coverage and mean size of
LAC and APS sets (marginal and class-conditional) on val and test. Only val
and test coverage is out of sample; calib figures are in-sample. The
checkpoint is only read. `npm run eval:uncertainty` measures the exported
bundle through the app instead.
"""
import argparse

import numpy as np
import torch

from . import nucleus_types
from .calibrate import typed_nuclei
from .conformal_scores import aps_scores, conformal_quantile, lac_scores
from .data_sources import NATIVE_MPP, load_all, resample
from .splits import make_splits, select
from .temperature import fit_nucleus_temperature
from .tiled_inference import predict_tiled
from .train import TrainConfig, load_model

SPLITS = ("val", "calib", "test")
SCORES = {"lac": lac_scores, "aps": aps_scores}
BINS = 15


def expected_calibration_error(probs, true):
    """Top-label ECE with equal-width bins, lower edge exclusive, as the app computes it."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) + 1 == true
    bins = np.clip(np.ceil(confidence * BINS).astype(int) - 1, 0, BINS - 1)
    gaps = [abs(correct[bins == b].sum() - confidence[bins == b].sum()) for b in range(BINS)]
    return float(np.sum(gaps) / len(true))


def figures(probs, true):
    p_true = np.clip(probs[np.arange(len(true)), true - 1], 1e-12, None)
    onehot = np.eye(probs.shape[1])[true - 1]
    return {
        "ece": expected_calibration_error(probs, true),
        "nll": float(-np.log(p_true).mean()),
        "brier": float(((probs - onehot) ** 2).sum(axis=1).mean()),
        "accuracy": float((probs.argmax(axis=1) + 1 == true).mean()),
    }


def quantiles(calib_probs, calib_true, score, alpha, is_class_conditional):
    """One quantile per class position: the marginal one repeated, or each class's own."""
    scores = SCORES[score](calib_probs, calib_true)
    class_count = calib_probs.shape[1]
    if not is_class_conditional:
        return np.full(class_count, conformal_quantile(scores, alpha))
    return np.array(
        [conformal_quantile(scores[calib_true == c], alpha) if (calib_true == c).any() else np.inf
         for c in range(1, class_count + 1)]
    )


def prediction_sets(probs, score, limits):
    """Boolean N x K sets as the app builds them: never empty (the top class stays)."""
    count, class_count = probs.shape
    scores = np.stack([SCORES[score](probs, np.full(count, c)) for c in range(1, class_count + 1)], axis=1)
    sets = scores <= limits[None, :]
    sets[np.arange(count), probs.argmax(axis=1)] |= ~sets.any(axis=1)
    return sets


def predictions(model, tiles):
    return [(predict_tiled(model, tile.image), tile) for tile in tiles]


def typed_tiles(args):
    sources = load_all(args.data)
    factor = int(round(args.target_mpp / NATIVE_MPP))
    sources = {s: [resample(t, factor) for t in tiles] for s, tiles in sources.items()}
    splits = make_splits(sources, args.seed)
    return {
        split: [t for source, tiles in select(sources, splits, split).items() if source != "monuseg" for t in tiles]
        for split in SPLITS
    }


def print_calibration(nuclei, temperature):
    for split, pixels in nuclei.items():
        names = f"{split} split, {pixels.count} nuclei"
        for label, t in (("T=1", 1.0), (f"T={temperature:.3f}", temperature)):
            f = figures(nucleus_types.distributions(pixels, t), pixels.true_channel)
            print(f"nt [{names}] {label}: " + " ".join(f"{k} {v:.4f}" for k, v in f.items()))


def print_coverage(nuclei, temperature):
    probs = {s: nucleus_types.distributions(p, temperature) for s, p in nuclei.items()}
    calib_true = nuclei["calib"].true_channel
    for alpha in (0.1, 0.05):
        for score in SCORES:
            for is_class_conditional in (False, True):
                limits = quantiles(probs["calib"], calib_true, score, alpha, is_class_conditional)
                mode = "class-conditional" if is_class_conditional else "marginal"
                for split in ("val", "test"):
                    true = nuclei[split].true_channel
                    sets = prediction_sets(probs[split], score, limits)
                    covered = sets[np.arange(len(true)), true - 1]
                    per_class = " ".join(
                        f"{c}:{covered[true == c].mean():.3f}" for c in sorted(set(true.tolist()))
                    )
                    print(f"coverage [{score} {mode} alpha={alpha} | {split} split]: {covered.mean():.4f} "
                          f"mean set size {sets.sum(axis=1).mean():.3f} per class {per_class}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--checkpoint", required=True, help="a run's best.pt (only read)")
    parser.add_argument("--target-mpp", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = load_model(args.checkpoint)
    tiles = typed_tiles(args)
    nuclei = {split: typed_nuclei(predictions(model, tiles[split])) for split in SPLITS}
    temperature = fit_nucleus_temperature(nuclei["val"])
    for split in SPLITS:
        print(f"{split} split tiles: {', '.join(f'{t.source}/{t.name}' for t in tiles[split])}")
    print(f"nt temperature fitted on the val split's nuclei: {temperature:.3f}; fitted alike on calib "
          f"{fit_nucleus_temperature(nuclei['calib']):.3f}, on test {fit_nucleus_temperature(nuclei['test']):.3f}")
    print_calibration(nuclei, temperature)
    print_coverage(nuclei, temperature)


if __name__ == "__main__":
    main()
