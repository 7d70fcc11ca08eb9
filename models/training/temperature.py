"""Temperature scaling: one scalar per head, fitted by minimising NLL."""
import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp


def negative_log_likelihood(logits, labels, temperature):
    """logits: N x C, labels: N int."""
    scaled = logits / temperature
    return float(np.mean(logsumexp(scaled, axis=1) - scaled[np.arange(len(labels)), labels]))


def fit_temperature(logits, labels):
    """Searches log T in [-3, 3] (T from 0.05 to 20)."""
    result = minimize_scalar(
        lambda log_t: negative_log_likelihood(logits, labels, np.exp(log_t)),
        bounds=(-3.0, 3.0),
        method="bounded",
    )
    return float(np.exp(result.x))
