"""Warm start: a folded ONNX export loads back into the network and computes the same."""
import tempfile
import unittest
from pathlib import Path

import torch

from models.training.export_onnx import export
from models.training.network import NucleiNet
from models.training.warm_start import freeze_batch_norms, load_folded

TILE_PX = 64


def trained_looking_model(seed):
    """A network whose batch norms hold non-trivial statistics, as after training."""
    torch.manual_seed(seed)
    model = NucleiNet()
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.2, 0.2)
    return model.eval()


class WarmStartTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.source = trained_looking_model(seed=3)
        cls.onnx_path = Path(cls.folder.name) / "model.onnx"
        export(cls.source, cls.onnx_path, TILE_PX)
        cls.image = torch.randn(2, 3, TILE_PX, TILE_PX, generator=torch.Generator().manual_seed(5))

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def outputs(self, model):
        with torch.no_grad():
            return model(self.image)

    def test_the_loaded_network_computes_what_the_exported_one_did(self):
        loaded = load_folded(NucleiNet(), self.onnx_path).eval()
        for expected, actual in zip(self.outputs(self.source), self.outputs(loaded)):
            self.assertLess(float((expected - actual).abs().max()), 1e-4)

    def test_frozen_batch_norms_keep_training_mode_on_the_folded_function(self):
        loaded = load_folded(NucleiNet(), self.onnx_path)
        loaded.train()
        freeze_batch_norms(loaded)
        for expected, actual in zip(self.outputs(self.source), self.outputs(loaded)):
            self.assertLess(float((expected - actual).abs().max()), 1e-4)

    def test_a_graph_of_another_width_is_refused(self):
        with self.assertRaises(ValueError):
            load_folded(NucleiNet(widths=(8, 16, 32, 64, 96)), self.onnx_path)


if __name__ == "__main__":
    unittest.main()
