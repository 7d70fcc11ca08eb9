"""HoVer-Net targets: nucleus pixels (np), distance maps (hv), types (nt)."""
import numpy as np
from scipy import ndimage


def normalise_signed(offsets):
    """Scale negative offsets by the most negative, positive by the most positive."""
    scaled = offsets.astype(np.float32).copy()
    if scaled.min() < 0:
        scaled[scaled < 0] /= -scaled.min()
    if scaled.max() > 0:
        scaled[scaled > 0] /= scaled.max()
    return scaled


def hv_map(inst):
    """2 x H x W: x (channel 0) and y (channel 1) offset to each nucleus centre of mass,
    normalised per nucleus to [-1, 1] by its extent on each side."""
    hv = np.zeros((2,) + inst.shape, dtype=np.float32)
    for label, box in enumerate(ndimage.find_objects(inst), start=1):
        if box is None:
            continue
        mask = inst[box] == label
        ys, xs = np.nonzero(mask)
        hv[0][box][mask] = normalise_signed(xs - xs.mean())
        hv[1][box][mask] = normalise_signed(ys - ys.mean())
    return hv


def tile_targets(tile):
    """np (uint8), hv (float16, 2 x H x W) and nt (uint8) for a whole tile."""
    return {
        "np": (tile.inst > 0).astype(np.uint8),
        "hv": hv_map(tile.inst).astype(np.float16),
        "nt": tile.types,
    }
