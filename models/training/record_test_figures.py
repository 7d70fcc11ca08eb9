"""Writes the held-out test figures measured by the app into a bundle's model card.

    npm run eval:nuclei -- ../shared/data/monuseg/test --json /tmp/monuseg.json
    /usr/bin/python3 -m models.training.record_test_figures \
        --bundle models/cellvit-optimus-default --figures /tmp/monuseg.json \
        --title "MoNuSeg test (14 tiles, never used for training or calibration)"

The figures come from the app's own pipeline (its pre-processing, ONNX Runtime
session and post-processing), not from the training code, so the card states
what a user of the app gets. The section under the given title is replaced and
the manifest's file hashes are refreshed, since the card is a hashed file.
"""
import argparse
import json
import re
from pathlib import Path

from .bundle_manifest import BUNDLE_VERSION, file_entry


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--figures", required=True, help="JSON written by eval:nuclei --json")
    parser.add_argument("--title", required=True, help="heading of the card section to (re)write")
    parser.add_argument("--command", default="npm run eval:nuclei -- ../shared/data/monuseg/test")
    return parser.parse_args(argv)


def fmt(value):
    return "n/a" if value is None else f"{value:.3f}"


def section(title, report, command):
    mean = report["mean"]
    lines = [
        f"### {title}",
        "",
        f"Measured by the app's pipeline: `{command}`.",
        f"{report['images']} images, {report['trueNuclei']} annotated nuclei; "
        f"images at {report['mpp']} mpp, resampled to the bundle's scale as the app does. "
        "Per-image scores, then the mean.",
        f"Model: `model.onnx` sha256 {report['bundle']['graphFiles'][0]['sha256'][:16]}...",
        "",
        "| PQ | DQ | SQ | AJI | detection F1 |",
        "| --- | --- | --- | --- | --- |",
        f"| {fmt(mean['pq'])} | {fmt(mean['dq'])} | {fmt(mean['sq'])} | {fmt(mean['aji'])} "
        f"| {fmt(mean['f1'])} |",
        "",
        f"Detection F1 matches centroids within {report['radiusPx']} px, one to one.",
        "",
    ]
    return "\n".join(lines)


def replace_section(card, title, text):
    """Replaces the `### title` section (up to the next `##`/`###` heading) or appends it."""
    lines = card.split("\n")
    heading = f"### {title}"
    if heading not in lines:
        return card.rstrip("\n") + "\n\n" + text
    start = lines.index(heading)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("##")), len(lines))
    return "\n".join(lines[:start] + text.rstrip("\n").split("\n") + [""] + lines[end:])


def refresh_manifest(folder):
    path = Path(folder) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["version"] = BUNDLE_VERSION
    manifest["files"] = [file_entry(folder, entry["path"]) for entry in manifest["files"]]
    path.write_text(json.dumps(manifest, indent=2) + "\n")


def main(argv=None):
    args = parse_args(argv)
    report = json.loads(Path(args.figures).read_text())
    card_path = Path(args.bundle) / "MODEL_CARD.md"
    card = card_path.read_text()
    card = re.sub(r"^# Model card: (\S+) \S+", rf"# Model card: \1 {BUNDLE_VERSION}", card)
    card = replace_section(card, args.title, section(args.title, report, args.command))
    card_path.write_text(card)
    refresh_manifest(args.bundle)


if __name__ == "__main__":
    main()
