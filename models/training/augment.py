"""Augmentations that keep image, np, hv and nt consistent.

A flip negates the hv channel along the flipped axis; a 90-degree turn swaps
the channels and negates one, because the x offset of a point becomes its y
offset after the turn.
"""
import numpy as np
from scipy import ndimage

# Ruifrok and Johnston stain vectors (rows: haematoxylin, eosin, DAB).
RGB_FROM_HED = np.array(
    [[0.65, 0.70, 0.29], [0.07, 0.99, 0.11], [0.27, 0.57, 0.78]], dtype=np.float32
)
RGB_FROM_HED /= np.linalg.norm(RGB_FROM_HED, axis=1, keepdims=True)
HED_FROM_RGB = np.linalg.inv(RGB_FROM_HED)


def flip_horizontal(image, hv):
    """image: H x W x C; hv: 2 x H x W."""
    hv = hv[:, :, ::-1].copy()
    hv[0] = -hv[0]
    return image[:, ::-1], hv


def flip_vertical(image, hv):
    hv = hv[:, ::-1, :].copy()
    hv[1] = -hv[1]
    return image[::-1], hv


def rotate90(image, hv):
    """Counter-clockwise quarter turn, as numpy.rot90: new x = old y, new y = -old x."""
    old = np.rot90(hv, 1, axes=(1, 2))
    return np.rot90(image, 1, axes=(0, 1)), np.stack([old[1], -old[0]])


def dihedral(stack, hv, rng):
    """Random element of the square's symmetry group. stack: H x W x C (image and labels)."""
    for _ in range(rng.integers(4)):
        stack, hv = rotate90(stack, hv)
    if rng.random() < 0.5:
        stack, hv = flip_horizontal(stack, hv)
    return np.ascontiguousarray(stack), np.ascontiguousarray(hv)


def stain_jitter(image, rng, sigma=0.05, bias=0.05):
    """Perturb haematoxylin and eosin optical densities. image: H x W x 3 float in [0, 1]."""
    density = -np.log(np.clip(image, 1e-3, 1.0)) @ HED_FROM_RGB
    alpha = rng.uniform(1 - sigma, 1 + sigma, 3).astype(np.float32)
    beta = rng.uniform(-bias, bias, 3).astype(np.float32)
    density = density * alpha + beta * np.abs(density).mean(axis=(0, 1))
    return np.clip(np.exp(-density @ RGB_FROM_HED), 0.0, 1.0)


# A model finer than 20x sees 20x slides (about 0.5 mpp) upsampled to its scale, so a
# share of its crops is degraded as such a scan would be: a model that only saw native
# 40x pixels would meet that softness for the first time in use. A model at 0.5 mpp
# or coarser reads 20x slides at their own scale and 40x ones downsampled, sharp.
LOW_RESOLUTION_PROBABILITY = 0.3
LOW_RESOLUTION_FACTORS = (1.5, 2.2)
TWENTY_X_MPP = 0.5


def low_resolution_probability(target_mpp):
    """The share of crops degraded as an upsampled 20x scan, for a model at `target_mpp`."""
    return LOW_RESOLUTION_PROBABILITY if target_mpp < 0.8 * TWENTY_X_MPP else 0.0


def low_resolution(image, factor):
    """Area-downsample by `factor`, then upsample back bilinearly. image: H x W x 3 float."""
    height, width = image.shape[:2]
    small = (max(1, int(round(height / factor))), max(1, int(round(width / factor))))
    zoom_down = (small[0] / height, small[1] / width, 1)
    shrunk = ndimage.zoom(ndimage.uniform_filter(image, size=(factor, factor, 1)), zoom_down, order=1)
    zoom_up = (height / shrunk.shape[0], width / shrunk.shape[1], 1)
    restored = ndimage.zoom(shrunk, zoom_up, order=1)
    return restored[:height, :width]


def photometric(image, rng, low_resolution_share=LOW_RESOLUTION_PROBABILITY):
    """Stain jitter, brightness/contrast, occasional blur or low resolution. image float [0, 1].

    A random number is drawn for the low-resolution choice even when its share is 0,
    so the rest of the augmentation stream is the same whatever the share.
    """
    image = stain_jitter(image, rng)
    if rng.random() < low_resolution_share:
        image = low_resolution(image, rng.uniform(*LOW_RESOLUTION_FACTORS))
    image = (image - 0.5) * rng.uniform(0.9, 1.1) + 0.5 + rng.uniform(-0.05, 0.05)
    if rng.random() < 0.2:
        image = ndimage.gaussian_filter(image, sigma=(rng.uniform(0.3, 1.2),) * 2 + (0,))
    return np.clip(image, 0.0, 1.0).astype(np.float32)
