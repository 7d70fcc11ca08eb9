"""Nucleus-level nonconformity scores for the nt head.

A nucleus's type distribution is the mean of the temperature-scaled nt
softmax over its pixels, background dropped and the four classes
renormalised, which is how the app forms it before building a set.
"""
import numpy as np
from scipy import ndimage

from .classes import IGNORE
from .inference import softmax


def nucleus_type_probabilities(nt_logits, inst, types, temperature):
    """Per true nucleus of known type: (class probabilities over channels 1..C-1, true channel)."""
    probs = softmax(nt_logits, temperature)[1:]
    labels = np.unique(inst[inst > 0])
    if len(labels) == 0:
        return np.zeros((0, probs.shape[0])), np.zeros(0, dtype=int)
    means = np.stack([ndimage.mean(p, inst, labels) for p in probs], axis=1)
    true = ndimage.median(types.astype(np.float64), inst, labels).astype(int)
    known = (true > 0) & (true != IGNORE)
    means = means[known] / means[known].sum(axis=1, keepdims=True)
    return means, true[known]


def lac_scores(probs, true_channel):
    return 1.0 - probs[np.arange(len(probs)), true_channel - 1]


def aps_scores(probs, true_channel):
    """Non-randomised APS: mass of the classes ranked at or above the true class."""
    p_true = probs[np.arange(len(probs)), true_channel - 1][:, None]
    return np.where(probs >= p_true, probs, 0.0).sum(axis=1)


def conformal_block(probs, true_channel, split_description):
    """The calibration.json `conformal.nt` object, scores sorted ascending."""
    lac, aps = lac_scores(probs, true_channel), aps_scores(probs, true_channel)
    per_class = {
        str(c): {"lac": sorted(lac[true_channel == c].tolist()), "aps": sorted(aps[true_channel == c].tolist())}
        for c in sorted(set(true_channel.tolist()))
    }
    return {"split": split_description, "lac": sorted(lac.tolist()), "aps": sorted(aps.tolist()), "perClass": per_class}
