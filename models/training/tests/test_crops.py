"""Tiles smaller than a training crop are padded, never blown up to it; larger
tiles are cut at every scale and never padded."""
import unittest

import numpy as np

from models.training.crops import CropSampler, pad_to_edge
from models.training.data_sources import Tile


class PadToEdgeTest(unittest.TestCase):
    def test_pads_a_small_crop_with_white_background_and_zero_targets(self):
        stack = np.full((128, 100, 5), 7, dtype=np.int32)
        hv = np.full((2, 128, 100), 0.5, dtype=np.float32)
        padded, padded_hv = pad_to_edge(stack, hv, 256)
        self.assertEqual(padded.shape, (256, 256, 5))
        self.assertEqual(padded_hv.shape, (2, 256, 256))
        np.testing.assert_array_equal(padded[:128, :100], stack)
        np.testing.assert_array_equal(padded[200, 200], [255, 255, 255, 0, 0])
        np.testing.assert_array_equal(padded[10, 150], [255, 255, 255, 0, 0])
        self.assertEqual(float(padded_hv[:, 200, 50].max()), 0.0)

    def test_leaves_a_crop_at_least_the_edge_as_it_is(self):
        stack = np.zeros((300, 256, 5), dtype=np.uint8)
        hv = np.zeros((2, 300, 256), dtype=np.float32)
        padded, padded_hv = pad_to_edge(stack, hv, 256)
        self.assertIs(padded, stack)
        self.assertIs(padded_hv, hv)


def dark_tile(name, edge_px):
    """A tile of dark pixels with one square nucleus, so white in a crop is padding."""
    inst = np.zeros((edge_px, edge_px), dtype=np.int32)
    inst[edge_px // 4 : edge_px // 2, edge_px // 4 : edge_px // 2] = 1
    image = np.full((edge_px, edge_px, 3), 40, dtype=np.uint8)
    types = np.zeros((edge_px, edge_px), dtype=np.uint8)
    return Tile(name=name, source="test", image=image, inst=inst, types=types, weight=1.0)


class CropSamplerTest(unittest.TestCase):
    def crops(self, edge_px, count=40):
        tiles = {"test": [dark_tile("t", edge_px)]}
        sampler = CropSampler(tiles, {"test": 1.0}, 64, seed=3)
        sampler.low_resolution_share = 0.0
        return [sampler.sample_one()[0] for _ in range(count)]

    def test_a_tile_larger_than_the_crop_is_cut_at_every_scale_never_padded(self):
        for image in self.crops(500):
            self.assertLess(float(image.max()), 0.6)  # no white (1.0) padding anywhere
            self.assertGreaterEqual(min(image.shape[:2]), round(64 * 0.8) - 1)

    def test_a_tile_smaller_than_the_crop_is_padded_to_the_window_its_scale_asked(self):
        edges = sorted({image.shape[0] for image in self.crops(32)})
        self.assertGreaterEqual(edges[0], round(64 * 0.8) - 1)
        self.assertGreater(edges[-1], 64)
        self.assertTrue(all(float(image.max()) > 0.8 for image in self.crops(32)))


if __name__ == "__main__":
    unittest.main()
