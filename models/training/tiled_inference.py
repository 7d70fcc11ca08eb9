"""Whole-image prediction stitched from model-sized tiles, as the app sees images.

The app never runs the network on more than one tile of `TILE_PX` at a time,
so a nucleus's logits come from a tile's worth of context. Calibration fitted
on whole-image passes (which see more context and are less over-confident on
these data) would describe other logits than the ones the app scores. Tiles
are laid out and their logits averaged where they overlap exactly as
`npm run eval:uncertainty` does (src-main/uncertainty/evaluation/evaluation-model.ts).
"""
import numpy as np
import torch

from .crops import normalise
from .inference import predict_tile

TILE_PX = 256
STRIDE_PX = 248
BATCH_TILES = 8


def tile_origins(length_px):
    """Origins every STRIDE_PX, plus one flush with the far edge."""
    if length_px < TILE_PX:
        raise ValueError(f"An image of {length_px} px is smaller than a {TILE_PX} px tile.")
    origins = list(range(0, length_px - TILE_PX, STRIDE_PX))
    return origins + [length_px - TILE_PX]


@torch.no_grad()
def predict_tiled(model, image):
    """image: H x W x 3 uint8. Returns stitched np and nt logits (C x H x W, float32).

    An image smaller than a tile (only at other scales than the bundle's) is
    predicted in one pass instead.
    """
    height, width = image.shape[:2]
    if min(height, width) < TILE_PX:
        maps = predict_tile(model, image)
        return {"np": maps["np"], "nt": maps["nt"]}
    rects = [(top, left) for top in tile_origins(height) for left in tile_origins(width)]
    sums, weight = {}, np.zeros((height, width))
    for start in range(0, len(rects), BATCH_TILES):
        chunk = rects[start : start + BATCH_TILES]
        crops = np.stack([image[t : t + TILE_PX, l : l + TILE_PX] for t, l in chunk])
        tensor = normalise(torch.from_numpy(crops.astype(np.float32) / 255.0).permute(0, 3, 1, 2))
        np_logits, _, nt_logits, _ = model(tensor)
        for i, (top, left) in enumerate(chunk):
            window = (slice(None), slice(top, top + TILE_PX), slice(left, left + TILE_PX))
            for key, logits in (("np", np_logits), ("nt", nt_logits)):
                if key not in sums:
                    sums[key] = np.zeros((logits.shape[1], height, width))
                sums[key][window] += logits[i].numpy()
            weight[window[1:]] += 1
    return {key: (total / weight).astype(np.float32) for key, total in sums.items()}
