"""Writes MODEL_CARD.md from the facts of one build."""
from pathlib import Path

from .classes import NUCLEUS_CLASSES

DATA_SECTION = """## Data and licences

| source | tiles | labels | use here | licence |
| --- | --- | --- | --- | --- |
| MoNuSeg 2018 training set | 30 of 1000x1000 px, 40x, 7 organs | nuclei instances, no types; 13 tiles rasterised from the original XML, 17 derived from colour masks | np and hv; the 17 derived tiles count half in the loss (their maps carry up to 16 % extra fragments); validation tiles are drawn from the 13 exact ones | CC BY-NC-SA 4.0 |
| CoNSeP training split | 27 of 1000x1000 px, 40x, colorectal adenocarcinoma | instances and four types | np, hv, nt | not stated in the copy used: treated as non-commercial research use (Warwick TIA data; HoVer-Net) |
| PanNuke breast demo | 25 of 256x256 px, 40x | instances, neoplastic or not | np, hv; nt for neoplastic only ("not neoplastic" merges four PanNuke classes and is ignored by the nt loss) | CC BY-NC-SA 4.0 |

The MoNuSeg test set was not used for training, model selection, temperature
or conformal calibration. Because of the licences above this model is for
research and demonstration only and non-commercial, and so is any build that
contains it.
"""

USE_SECTION = """## Intended use

Pre-triage of H&E slides: it points a reviewer at regions worth looking at
(nucleus density, share of epithelial-or-neoplastic nuclei, regions flagged as
uncertain or unfamiliar). It never gives a diagnosis, and its output is not a
measurement to act on without a pathologist's review.

## Known failure modes

- Trained on about 80 tiles from three public sets; other stains, scanners,
  frozen sections and organs outside colon, breast, lung, kidney, prostate,
  bladder and stomach are out of domain (the OOD score is meant to catch these,
  without guarantee).
- Types come almost entirely from colorectal CoNSeP tiles: "epithelial or
  neoplastic" does not separate normal from malignant epithelium, and typing in
  other organs is weak. "other" is rare in training (about 2 % of typed nuclei).
- No dead or necrotic class is predicted; PanNuke's "dead" has no channel.
- Dense clusters and overlapping nuclei are under-split; very large or
  vesicular nuclei can be fragmented.
- Mild resampling of 40x scans (0.246-0.253 mpp) to the target mpp is assumed;
  20x input is upsampled by the app, which blurs nuclei and lowers accuracy.
- Blur, folds, pen marks and bubbles are not modelled.
"""


def class_table():
    rows = ["| index | name | PanNuke classes | colour |", "| --- | --- | --- | --- |"]
    for c in NUCLEUS_CLASSES:
        pannuke = ", ".join(c["pannuke"]) or "none (miscellaneous)"
        rows.append(f"| {c['index']} | {c['name']} | {pannuke} | {c['color']} |")
    return "\n".join(rows)


def validation_table(validation):
    rows = ["| validation split | tiles | PQ | AJI |", "| --- | --- | --- | --- |"]
    for source, values in validation.items():
        if isinstance(values, dict):
            rows.append(f"| {source} | {values['tiles']} | {values['pq']:.3f} | {values['aji']:.3f} |")
    return "\n".join(rows)


def mpp_section(comparison):
    if not comparison:
        return "## Target mpp\n\nNo comparison was run for this build.\n"
    rows = ["| target mpp | validation PQ | validation AJI | CPU ms per 250x250 um |", "| --- | --- | --- | --- |"]
    for entry in comparison["runs"]:
        rows.append(f"| {entry['mpp']} | {entry['pq']:.3f} | {entry['aji']:.3f} | {entry['msPerArea']:.0f} |")
    return f"## Target mpp\n\n{comparison['method']}\n\n" + "\n".join(rows) + f"\n\n{comparison['conclusion']}\n"


def architecture_section(facts):
    return f"""## Architecture

A compact HoVer-Net-style encoder-decoder: a 3x3 stem at full resolution,
four stride-2 stages built from depthwise-separable residual blocks (dilated
1, 2, 4 at the deeper stages) with a dense residual block at 1/16, and one
shared decoder with additive skip connections feeding three 1x1 heads:
`np` (2 logits), `hv` (2 maps, tanh), `nt` (5 logits: background and the four
classes below). `embedding` is the global average of the 1/16 bottleneck
({facts['embeddingDim']} values) and feeds the out-of-distribution score.

- Parameters: {facts['parameters']:,}
- Input: {facts['tilePx']}x{facts['tilePx']} px RGB at {facts['targetMpp']} mpp, `(pixel / 255 - mean) / std`
- ONNX opset {facts['opset']}, dynamic batch axis; `model.onnx` {facts['onnxBytes'] / 1e6:.1f} MB
- ONNX Runtime (CPU, 1 thread): {facts['msPerTile']:.1f} ms per {facts['tilePx']} px tile on the build machine
- ONNX and torch outputs agree to {facts['parityMaxAbsDiff']:.1e} (max abs difference)
"""


def continuation_note(training):
    """Says which bundle's network training continued from, if any."""
    if not training.get("initFrom"):
        return ""
    return (
        f"Training continued from the network of the bundle in `{training['initFrom']}`, "
        "with its batch norms folded into the convolutions and frozen "
        "(`models/training/warm_start.py`), on the same splits. "
    )


def low_resolution_note(training):
    share = training.get("lowResolutionShare", 0.3)
    if share == 0:
        return (
            "; no simulated 20x scans (at this scale the app reads 20x slides at their own "
            "resolution and downsamples 40x ones)"
        )
    return (
        f", and for {share * 100:.0f} % of crops a simulated 20x scan (area downsampling by "
        "1.5-2.2, then bilinear upsampling back), since the app upsamples 20x slides to the "
        "model scale"
    )


def training_section(facts):
    t = facts["training"]
    return f"""## Training

{continuation_note(t)}{t['steps']} steps of {t['batchSize']} random {t['cropPx']} px crops
({t['minutes']:.0f} min on 2 CPU cores), AdamW (peak learning rate {t['learningRate']}, warm-up then
cosine decay), seed {t['seed']}. Sources are drawn with probabilities
{t['sourceWeights']}. Augmentation: the eight flips and quarter turns (hv
channels swapped and negated to match), scale 0.8-1.25, haematoxylin-eosin-DAB
stain jitter, brightness and contrast, occasional Gaussian blur{low_resolution_note(t)}. Losses as in
HoVer-Net: cross-entropy + Dice on np and nt, MSE + gradient MSE (on nucleus
pixels) on hv. The checkpoint kept is the one with the best mean PQ on the
validation split (MoNuSeg, CoNSeP and PanNuke-demo val tiles together).
Splits are by tile, seeded; `calibration.json` lists them.
"""


def calibration_section(facts):
    c = facts["calibration"]
    return f"""## Calibration

- A nucleus's type distribution is, at each of its pixels, the softmax of the
  class logits divided by T (background dropped), averaged over its pixels: what
  the app shows and builds conformal sets from.
- Temperatures on the val split: np {c['temperature']['np']:.3f} (NLL on pixels), nt
  {c['temperature']['nt']:.3f} (Brier score of the type distributions of {c['temperatureCount']} nuclei
  of known type; NLL would be ruled by a class the head hardly ever predicts).
- Conformal scores for nt (LAC and APS, overall and per true class) on the calib
  split, from those distributions at the nt temperature: {c['conformalCount']} nuclei.
- OOD reference: {c['oodCount']} embeddings of 256 px crops of the training
  tiles; Ledoit-Wolf shrinkage {c['shrinkage']:.3f}; threshold quantile q99.
  The reference distances are in-sample, so they run slightly low.
- Cold-start review thresholds: the 90th percentile over validation windows
  (np entropy {c['thresholds']['npEntropyReview']:.3f} bits, nt entropy
  {c['thresholds']['ntEntropyReview']:.3f}, mean set size {c['thresholds']['setSizeReview']:.2f}).
"""


def figures_section(facts):
    return f"""## Figures

### MoNuSeg test (14 tiles, never used for training or calibration)

To be filled by the app's evaluator: `npm run eval:nuclei -- ../shared/data/monuseg/test`
(PQ, AJI, detection F1 per image, then averaged).

### Validation split (used for model selection; not an independent test)

Post-processing in Python (HoVer-style markers and watershed) on whole
1000x1000 tiles; these figures are optimistic because the same split chose
the checkpoint.

{validation_table(facts['validation'])}
"""


def write_model_card(folder, facts):
    smoke = "\n> Smoke build: a few training steps on a tiny subset. Not a usable model.\n" if facts["smoke"] else ""
    parts = [
        f"# Model card: {facts['id']} {facts['version']}\n{smoke}",
        "Embedded default nuclei model of CellViT-Optimus: segments and types nuclei in H&E tiles for pre-triage.\n",
        architecture_section(facts),
        "## Classes\n\n" + class_table() + "\n\nChannel 0 of `nt` is background. No dead class is predicted.\n",
        DATA_SECTION,
        training_section(facts),
        mpp_section(facts.get("mppComparison")),
        calibration_section(facts),
        USE_SECTION,
        figures_section(facts),
    ]
    Path(folder, "MODEL_CARD.md").write_text("\n".join(parts))
