"""Cold-start review thresholds from validation tiles.

Each threshold is the 90th percentile of its measure over in-distribution
validation windows, so about one window in ten of familiar tissue is already
flagged: a deliberately cautious start until a site calibrates its own.
"""
import numpy as np

from .inference import softmax

WINDOW_PX = 256
REVIEW_PERCENTILE = 90

def binary_entropy_bits(p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(p * np.log2(p) + (1 - p) * np.log2(1 - p))

def type_entropy(nt_probs, nucleus):
    """Mean normalised entropy of the class distribution (background dropped) on nucleus pixels."""
    classes = nt_probs[1:, nucleus]
    if classes.shape[1] == 0:
        return None
    classes = classes / classes.sum(axis=0, keepdims=True)
    entropy = -(classes * np.log(np.clip(classes, 1e-12, None))).sum(axis=0)
    return float(entropy.mean() / np.log(classes.shape[0]))

def window_entropies(maps, temperatures):
    """(np entropy, nt entropy) per non-overlapping window of one tile."""
    np_prob = softmax(maps["np"], temperatures["np"])[1]
    nt_probs = softmax(maps["nt"], temperatures["nt"])
    rows, cols = np_prob.shape
    values = []
    for top in range(0, rows - WINDOW_PX + 1, WINDOW_PX):
        for left in range(0, cols - WINDOW_PX + 1, WINDOW_PX):
            window = (slice(top, top + WINDOW_PX), slice(left, left + WINDOW_PX))
            nucleus = np_prob[window] >= 0.5
            np_entropy = float(binary_entropy_bits(np_prob[window]).mean())
            values.append((np_entropy, type_entropy(nt_probs[(slice(None),) + window], nucleus)))
    return values

def mean_set_size(probs, lac_quantile):
    """Mean LAC set size; a set is never empty (the top class is kept)."""
    sizes = [max(1, int((1.0 - p <= lac_quantile).sum())) for p in probs]
    return float(np.mean(sizes)) if sizes else None

def review_thresholds(window_values, set_sizes):
    np_values = [v[0] for v in window_values]
    nt_values = [v[1] for v in window_values if v[1] is not None]
    sizes = [s for s in set_sizes if s is not None]
    return {
        "npEntropyReview": float(np.percentile(np_values, REVIEW_PERCENTILE)),
        "ntEntropyReview": float(np.percentile(nt_values, REVIEW_PERCENTILE)) if nt_values else 0.5,
        "setSizeReview": float(np.percentile(sizes, REVIEW_PERCENTILE)) if sizes else 2.0,
    }
