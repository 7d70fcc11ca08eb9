"""Tiled prediction: layout and stitching, with a per-pixel stand-in model."""
import unittest

import numpy as np
import torch

from models.training.tiled_inference import TILE_PX, predict_tiled, tile_origins


class PixelwiseModel(torch.nn.Module):
    """Outputs depend on each pixel alone, so any tiling must give the whole-image answer."""

    def forward(self, images):
        np_logits = images[:, :2] * 2.0
        nt_logits = torch.cat([images, images[:, :1] - images[:, 2:]], dim=1)
        return np_logits, torch.zeros_like(np_logits), nt_logits, images.mean(dim=(2, 3))


class TiledInferenceTest(unittest.TestCase):
    def test_origins_cover_the_image_with_the_last_tile_flush_to_the_edge(self):
        self.assertEqual(tile_origins(600), [0, 248, 344])
        self.assertEqual(tile_origins(TILE_PX), [0])
        with self.assertRaises(ValueError):
            tile_origins(TILE_PX - 1)

    def test_stitched_logits_equal_a_whole_image_pass_for_a_pixelwise_model(self):
        image = np.random.default_rng(1).integers(0, 256, (300, 520, 3), dtype=np.uint8)
        tiled = predict_tiled(PixelwiseModel(), image)
        whole = predict_tiled(PixelwiseModel(), image[:200, :200])  # one pass: smaller than a tile
        self.assertEqual(tiled["nt"].shape, (4, 300, 520))
        np.testing.assert_allclose(tiled["nt"][:, :200, :200], whole["nt"], atol=1e-5)
        np.testing.assert_allclose(tiled["np"][:, :200, :200], whole["np"], atol=1e-5)


if __name__ == "__main__":
    unittest.main()
