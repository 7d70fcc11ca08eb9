"""Per-nucleus type distributions, formed exactly as the app forms them.

At each pixel of a nucleus the nt logits of the classes (channels 1..C-1,
background dropped) are divided by the temperature and passed through a
softmax; the nucleus's distribution is the mean of these over its pixels.
That is the app's per-pixel softmax over every channel with the background
dropped and the classes renormalised, averaged over the nucleus
(src-main/nuclei/instance-measures.ts), so the temperature fitted here, the
conformal scores and the sets the app builds all use one quantity.

A nucleus's true type is the majority of its pixels' type labels (background
never votes; ties go to the lowest channel); nuclei whose majority is not a
known class are left out.
"""
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from .classes import IGNORE


@dataclass
class NucleusPixels:
    """Class logits of every pixel of the typed nuclei of one or more tiles."""

    logits: np.ndarray  # P x K float, nt channels 1..K of each pixel
    nucleus: np.ndarray  # P int, 0..N-1: which nucleus the pixel belongs to
    true_channel: np.ndarray  # N int, the nucleus's true nt channel (1..K)
    label: np.ndarray  # N int, the nucleus's instance label in its tile

    @property
    def count(self):
        return len(self.true_channel)


def majority_channels(inverse, label_count, types):
    """Majority type channel per unique label (0 when none voted); background never votes."""
    values = types.ravel().astype(np.int64)
    voting = values > 0
    votes = np.bincount(inverse[voting] * 256 + values[voting], minlength=label_count * 256)
    votes = votes.reshape(label_count, 256)
    return np.where(votes.max(axis=1) > 0, votes.argmax(axis=1), 0)


def nucleus_pixels(nt_logits, inst, types):
    """NucleusPixels of one tile's true nuclei of known type.

    nt_logits: C x H x W; inst: H x W instance labels (0 = background);
    types: H x W nt channel per pixel (0 background, IGNORE unknown).
    """
    labels, inverse = np.unique(inst.ravel(), return_inverse=True)
    inverse = inverse.ravel()
    majority = majority_channels(inverse, len(labels), types)
    class_count = nt_logits.shape[0] - 1
    known = (labels > 0) & (majority > 0) & (majority <= class_count) & (majority != IGNORE)
    position = np.full(len(labels), -1, dtype=np.int64)
    position[known] = np.arange(int(known.sum()))
    nucleus = position[inverse]
    picked = nucleus >= 0
    logits = nt_logits[1:].reshape(class_count, -1)[:, picked].T
    return NucleusPixels(logits.astype(np.float64), nucleus[picked], majority[known], labels[known])


def concatenate(parts):
    """One NucleusPixels from several, nucleus indices offset tile by tile."""
    offsets = np.cumsum([0] + [p.count for p in parts[:-1]])
    return NucleusPixels(
        np.concatenate([p.logits for p in parts]),
        np.concatenate([p.nucleus + o for p, o in zip(parts, offsets)]),
        np.concatenate([p.true_channel for p in parts]),
        np.concatenate([p.label for p in parts]),
    )


def distributions(pixels, temperature):
    """N x K: each nucleus's mean over its pixels of softmax(class logits / T)."""
    scaled = pixels.logits / temperature
    per_pixel = np.exp(scaled - logsumexp(scaled, axis=1, keepdims=True))
    class_count = per_pixel.shape[1]
    sums = np.stack(
        [np.bincount(pixels.nucleus, per_pixel[:, k], minlength=pixels.count) for k in range(class_count)],
        axis=1,
    )
    areas = np.bincount(pixels.nucleus, minlength=pixels.count)
    return sums / areas[:, None]


def negative_log_likelihood(pixels, temperature):
    """Mean NLL (nats) of the true types under the per-nucleus distributions at T."""
    probs = distributions(pixels, temperature)
    p_true = probs[np.arange(pixels.count), pixels.true_channel - 1]
    return float(-np.mean(np.log(np.clip(p_true, 1e-12, None))))


def brier_score(pixels, temperature):
    """Mean multi-class Brier score of the per-nucleus distributions at T."""
    probs = distributions(pixels, temperature)
    onehot = np.eye(probs.shape[1])[pixels.true_channel - 1]
    return float(((probs - onehot) ** 2).sum(axis=1).mean())
