"""Instance metrics per image: PQ (IoU > 0.5 matching) and AJI."""
import numpy as np


def overlaps(true, pred):
    """Pixel counts of every (true, pred) label pair that overlaps, and each label's area."""
    pairs = true.astype(np.int64) * (int(pred.max()) + 1) + pred
    codes, counts = np.unique(pairs[(true > 0) & (pred > 0)], return_counts=True)
    t_ids, p_ids = np.divmod(codes, int(pred.max()) + 1)
    return t_ids, p_ids, counts, np.bincount(true.ravel()), np.bincount(pred.ravel())


def panoptic_quality(true, pred):
    t_ids, p_ids, inter, t_area, p_area = overlaps(true, pred)
    iou = inter / (t_area[t_ids] + p_area[p_ids] - inter)
    matched = iou > 0.5
    tp = int(matched.sum())
    fn = int((t_area[1:] > 0).sum()) - tp
    fp = int((p_area[1:] > 0).sum()) - tp
    denominator = tp + 0.5 * fp + 0.5 * fn
    return float(iou[matched].sum() / denominator) if denominator else 1.0


def aggregated_jaccard(true, pred):
    t_ids, p_ids, inter, t_area, p_area = overlaps(true, pred)
    union = t_area[t_ids] + p_area[p_ids] - inter
    iou = inter / union
    best = {}
    for index in np.argsort(-iou):
        best.setdefault(t_ids[index], index)
    chosen = np.array(list(best.values()), dtype=np.int64)
    used_pred = set(p_ids[chosen].tolist())
    unmatched_true = [t for t in np.nonzero(t_area)[0] if t > 0 and t not in best]
    unused_pred = [p for p in np.nonzero(p_area)[0] if p > 0 and p not in used_pred]
    intersection = inter[chosen].sum()
    total = union[chosen].sum() + t_area[unmatched_true].sum() + p_area[unused_pred].sum()
    return float(intersection / total) if total else 1.0
