"""ONNX export and a parity check against torch in ONNX Runtime (Node)."""
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch

OPSET = 17
OUTPUT_NAMES = ["np", "hv", "nt", "embedding"]
PARITY_TOLERANCE = 1e-4
REPO_ROOT = Path(__file__).resolve().parents[2]


def export(model, path, tile_px):
    model.eval()
    example = torch.zeros(1, 3, tile_px, tile_px)
    dynamic = {name: {0: "batch"} for name in ["image"] + OUTPUT_NAMES}
    torch.onnx.export(
        model, example, str(path), opset_version=OPSET, input_names=["image"],
        output_names=OUTPUT_NAMES, dynamic_axes=dynamic, do_constant_folding=True,
    )


def write_parity_inputs(model, folder, tile_px, seed=0):
    """A batch of 2 random normalised tiles and the torch outputs, as raw float32."""
    generator = torch.Generator().manual_seed(seed)
    image = torch.randn(2, 3, tile_px, tile_px, generator=generator)
    with torch.no_grad():
        outputs = model.eval()(image)
    image.numpy().astype(np.float32).tofile(folder / "input.bin")
    for name, tensor in zip(OUTPUT_NAMES, outputs):
        tensor.numpy().astype(np.float32).tofile(folder / f"{name}.bin")
    shapes = {"input": list(image.shape), "outputs": OUTPUT_NAMES}
    (folder / "shapes.json").write_text(json.dumps(shapes))


def check_parity(model, onnx_path, tile_px):
    """Returns {"maxAbsDiff": {output: value}, "msPerTile": ms}; raises above tolerance."""
    with tempfile.TemporaryDirectory() as folder:
        write_parity_inputs(model, Path(folder), tile_px)
        script = Path(__file__).with_name("onnx_parity.mjs")
        result = subprocess.run(
            ["node", str(script), str(Path(onnx_path).resolve()), folder],
            cwd=REPO_ROOT, check=True, capture_output=True, text=True,
        )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    worst = max(report["maxAbsDiff"].values())
    if worst >= PARITY_TOLERANCE:
        raise RuntimeError(f"ONNX and torch differ by {worst:.2e} (tolerance {PARITY_TOLERANCE:.0e})")
    return report
