"""Crops smaller than the training crop are padded, never upsampled to it."""
import unittest

import numpy as np

from models.training.crops import pad_to_edge


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


if __name__ == "__main__":
    unittest.main()
