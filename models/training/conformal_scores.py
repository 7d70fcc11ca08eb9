"""Nucleus-level nonconformity scores for the nt head.

Scores are computed on each nucleus's type distribution as the app forms it
(nucleus_types.distributions at the bundle's nt temperature), and are the
ones the app's conformal sets compare against (src-main/uncertainty/conformal.ts).
"""
import numpy as np


def lac_scores(probs, true_channel):
    """LAC: 1 - probability of the true class."""
    return 1.0 - probs[np.arange(len(probs)), true_channel - 1]


def aps_scores(probs, true_channel):
    """Non-randomised APS: mass of the classes ranked at or above the true class."""
    p_true = probs[np.arange(len(probs)), true_channel - 1][:, None]
    return np.where(probs >= p_true, probs, 0.0).sum(axis=1)


def conformal_quantile(scores, alpha):
    """The ceil((n + 1)(1 - alpha))-th smallest score; inf when n is too small for alpha."""
    rank = int(np.ceil((len(scores) + 1) * (1 - alpha) - 1e-9))
    return float(np.sort(scores)[rank - 1]) if 0 < rank <= len(scores) else np.inf


def conformal_block(probs, true_channel, split_description):
    """The calibration.json `conformal.nt` object, scores sorted ascending.

    perClass holds the scores of each true channel for class-conditional
    (Mondrian) quantiles.
    """
    lac, aps = lac_scores(probs, true_channel), aps_scores(probs, true_channel)
    per_class = {
        str(c): {"lac": sorted(lac[true_channel == c].tolist()), "aps": sorted(aps[true_channel == c].tolist())}
        for c in sorted(set(true_channel.tolist()))
    }
    return {"split": split_description, "lac": sorted(lac.tolist()), "aps": sorted(aps.tolist()), "perClass": per_class}
