"""HoVer-Net losses: CE + Dice on np and nt, MSE + gradient MSE on hv.

Each crop carries a weight (approximate labels count less) and nt pixels of
unknown type are ignored, so untyped sources train np and hv only.
"""
import torch
import torch.nn.functional as F

from .classes import IGNORE

SOBEL_X = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8.0


def weighted_mean(per_sample, weight):
    return (per_sample * weight).sum() / weight.sum().clamp_min(1e-6)


def soft_dice(probs, onehot, valid):
    """1 - Dice per sample, averaged over the given channels. probs, onehot: N x C x H x W."""
    valid = valid.unsqueeze(1)
    inter = (probs * onehot * valid).sum(dim=(2, 3))
    total = ((probs + onehot) * valid).sum(dim=(2, 3))
    return (1.0 - (2.0 * inter + 1.0) / (total + 1.0)).mean(dim=1)


def np_loss(logits, target, weight):
    ce = F.cross_entropy(logits, target, reduction="none").mean(dim=(1, 2))
    probs = logits.softmax(dim=1)[:, 1:]
    dice = soft_dice(probs, target.unsqueeze(1).float(), torch.ones_like(target, dtype=torch.float32))
    return weighted_mean(ce + dice, weight)


def nt_loss(logits, target, weight):
    valid = (target != IGNORE).float()
    has_types = valid.sum(dim=(1, 2)) > 0
    if not has_types.any():
        return logits.sum() * 0.0
    ce_map = F.cross_entropy(logits, target, ignore_index=IGNORE, reduction="none")
    ce = ce_map.sum(dim=(1, 2)) / valid.sum(dim=(1, 2)).clamp_min(1.0)
    onehot = F.one_hot(target.clamp_max(logits.shape[1] - 1), logits.shape[1]).permute(0, 3, 1, 2)
    dice = soft_dice(logits.softmax(dim=1)[:, 1:], onehot[:, 1:].float(), valid)
    return weighted_mean(ce + dice, weight * has_types.float())


def gradients(hv):
    """d(h)/dx and d(v)/dy, the derivatives HoVer-Net's gradient loss compares."""
    kernel_x = SOBEL_X.to(hv).view(1, 1, 3, 3)
    kernel_y = kernel_x.transpose(2, 3)
    grad_h = F.conv2d(hv[:, :1], kernel_x, padding=1)
    grad_v = F.conv2d(hv[:, 1:], kernel_y, padding=1)
    return torch.cat([grad_h, grad_v], dim=1)


def hv_loss(pred, target, nucleus, weight):
    mse = ((pred - target) ** 2).mean(dim=(1, 2, 3))
    mask = nucleus.unsqueeze(1).float()
    grad_error = (gradients(pred) - gradients(target)) ** 2 * mask
    msge = grad_error.sum(dim=(1, 2, 3)) / (2.0 * mask.sum(dim=(1, 2, 3))).clamp_min(1.0)
    return weighted_mean(mse + msge, weight)


def total_loss(outputs, batch):
    np_logits, hv, nt_logits, _ = outputs
    parts = {
        "np": np_loss(np_logits, batch["np"], batch["weight"]),
        "hv": hv_loss(hv, batch["hv"], batch["np"] > 0, batch["weight"]),
        "nt": nt_loss(nt_logits, batch["nt"], batch["weight"]),
    }
    return sum(parts.values()), {k: float(v) for k, v in parts.items()}
