"""Whole-tile prediction with the torch model, for validation and calibration."""
import numpy as np
import torch
import torch.nn.functional as F

from .crops import normalise

STRIDE_MULTIPLE = 16


@torch.no_grad()
def predict_tile(model, image):
    """image: H x W x 3 uint8. Returns np logits, hv, nt logits (C x H x W) and the embedding.

    The network is fully convolutional, so a whole tile runs in one pass after
    reflection padding to a multiple of the coarsest stride.
    """
    height, width = image.shape[:2]
    pad_h = -height % STRIDE_MULTIPLE
    pad_w = -width % STRIDE_MULTIPLE
    tensor = torch.from_numpy(image.astype(np.float32) / 255.0).permute(2, 0, 1)[None]
    tensor = F.pad(normalise(tensor), (0, pad_w, 0, pad_h), mode="reflect")
    np_logits, hv, nt_logits, embedding = model(tensor)
    crop = (0, slice(None), slice(0, height), slice(0, width))
    return {
        "np": np_logits[crop].numpy(),
        "hv": hv[crop].numpy(),
        "nt": nt_logits[crop].numpy(),
        "embedding": embedding[0].numpy(),
    }


def softmax(logits, temperature=1.0, axis=0):
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=axis, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=axis, keepdims=True)
