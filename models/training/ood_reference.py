"""Gaussian reference of training embeddings for Mahalanobis OOD scores."""
import numpy as np

QUANTILES = {"q50": 0.5, "q90": 0.9, "q95": 0.95, "q99": 0.99}


def ledoit_wolf_shrinkage(centred):
    """Shrinkage intensity towards the scaled identity, as scikit-learn computes it."""
    n, p = centred.shape
    squared = centred**2
    trace = squared.sum() / n
    mu = trace / p
    beta_raw = (squared.sum(axis=1) ** 2).sum()
    delta_raw = ((centred.T @ centred) ** 2).sum() / n**2
    beta = (beta_raw / n - delta_raw) / (p * n)
    delta = (delta_raw - 2 * mu * trace + p * mu * mu) / p
    bounded = min(beta, delta)
    return 0.0 if bounded == 0 else float(bounded / delta)


def mahalanobis(embeddings, mean, precision):
    diff = embeddings - mean
    return np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", diff, precision, diff), 0.0))


def fit_reference(embeddings):
    """The calibration.json `ood` object from reference embeddings (rows)."""
    embeddings = embeddings.astype(np.float64)
    mean = embeddings.mean(axis=0)
    centred = embeddings - mean
    shrinkage = ledoit_wolf_shrinkage(centred)
    covariance = centred.T @ centred / len(centred)
    mu = np.trace(covariance) / covariance.shape[0]
    shrunk = (1 - shrinkage) * covariance + shrinkage * mu * np.eye(covariance.shape[0])
    precision = np.linalg.inv(shrunk)
    distances = mahalanobis(embeddings, mean, precision)
    reference = {k: float(np.quantile(distances, q)) for k, q in QUANTILES.items()}
    reference["max"] = float(distances.max())
    return {
        "dim": int(mean.shape[0]),
        "mean": mean.tolist(),
        "precision": precision.ravel().tolist(),
        "shrinkage": shrinkage,
        "referenceDistances": reference,
        "thresholdQuantile": "q99",
    }
