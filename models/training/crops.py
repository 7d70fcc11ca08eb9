"""Random training crops with scale, symmetry and stain augmentation."""
import numpy as np
import torch
import torch.nn.functional as F

from .augment import LOW_RESOLUTION_PROBABILITY, dihedral, photometric
from .targets import tile_targets

# Pixel statistics of all annotated tiles (every 7th pixel), rounded; the
# bundle manifest repeats them so the app normalises the same way.
MEAN = (0.762, 0.587, 0.746)
STD = (0.204, 0.242, 0.194)
SCALE_RANGE = (0.8, 1.25)


def normalise(images):
    """images: N x 3 x H x W float in [0, 1]."""
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (images - mean) / std


def pad_to_edge(stack, hv, edge_px):
    """Pads a window narrower than `edge_px` with white background, as the app pads a
    slide's edge tiles, and zero targets."""
    height, width = stack.shape[:2]
    pad_rows, pad_cols = max(0, edge_px - height), max(0, edge_px - width)
    if pad_rows == 0 and pad_cols == 0:
        return stack, hv
    padded = np.zeros((height + pad_rows, width + pad_cols, stack.shape[2]), dtype=stack.dtype)
    padded[..., :3] = 255
    padded[:height, :width] = stack
    padded_hv = np.zeros((hv.shape[0], height + pad_rows, width + pad_cols), dtype=hv.dtype)
    padded_hv[:, :height, :width] = hv
    return padded, padded_hv


class CropSampler:
    """Draws a source by probability, a tile uniformly, then a crop."""

    def __init__(self, tiles_by_source, source_weights, crop_px, seed, low_resolution_share=LOW_RESOLUTION_PROBABILITY):
        self.crop_px = crop_px
        self.low_resolution_share = low_resolution_share
        self.rng = np.random.default_rng(seed)
        self.pools = {s: tiles for s, tiles in tiles_by_source.items() if tiles}
        weights = np.array([source_weights[s] for s in self.pools], dtype=np.float64)
        self.source_probs = weights / weights.sum()
        self.targets = {t.name: tile_targets(t) for tiles in self.pools.values() for t in tiles}

    def sample_window(self, tile):
        """Rows and columns of a square window of a random scale, cut to the tile, and
        the edge that scale asked for."""
        wanted = int(round(self.crop_px * self.rng.uniform(*SCALE_RANGE)))
        size = min(wanted, *tile.inst.shape)
        top = self.rng.integers(tile.inst.shape[0] - size + 1)
        left = self.rng.integers(tile.inst.shape[1] - size + 1)
        return slice(top, top + size), slice(left, left + size), wanted

    def sample_one(self):
        source = self.rng.choice(list(self.pools), p=self.source_probs)
        tiles = self.pools[source]
        tile = tiles[self.rng.integers(len(tiles))]
        rows, cols, wanted = self.sample_window(tile)
        target = self.targets[tile.name]
        stack = np.dstack([tile.image[rows, cols], target["np"][rows, cols], target["nt"][rows, cols]])
        hv = target["hv"][:, rows, cols].astype(np.float32)
        if min(tile.inst.shape) < self.crop_px:
            # A tile smaller than a crop (a PanNuke patch at 0.5 mpp) is padded to the
            # window its scale asked for, so resizing to the crop keeps that scale
            # instead of blowing the tile up; larger tiles are cut, never padded.
            stack, hv = pad_to_edge(stack, hv, wanted)
        stack, hv = dihedral(stack, hv, self.rng)
        image = photometric(stack[..., :3].astype(np.float32) / 255.0, self.rng, self.low_resolution_share)
        return image, stack[..., 3], stack[..., 4], hv, tile.weight

    def resize(self, image, np_map, nt_map, hv):
        size = (self.crop_px, self.crop_px)
        smooth = torch.from_numpy(np.concatenate([image.transpose(2, 0, 1), hv]))[None]
        labels = torch.from_numpy(np.stack([np_map, nt_map]).astype(np.float32))[None]
        smooth = F.interpolate(smooth, size=size, mode="bilinear", align_corners=False)[0]
        labels = F.interpolate(labels, size=size, mode="nearest")[0].long()
        return smooth[:3], smooth[3:], labels[0], labels[1]

    def batch(self, count):
        """Normalised images and targets; nt uses IGNORE where a type is unknown."""
        parts = []
        for _ in range(count):
            image, np_map, nt_map, hv, weight = self.sample_one()
            parts.append(self.resize(image, np_map, nt_map, hv) + (weight,))
        images, hvs, nps, nts, weights = zip(*parts)
        return {
            "image": normalise(torch.stack(images)),
            "np": torch.stack(nps),
            "hv": torch.stack(hvs),
            "nt": torch.stack(nts),
            "weight": torch.tensor(weights, dtype=torch.float32),
        }

