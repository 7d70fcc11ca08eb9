"""The hv maps stay correct under the flips and quarter turns used in training."""
import unittest

import numpy as np

from models.training import augment
from models.training.augment import (
    LOW_RESOLUTION_PROBABILITY,
    flip_horizontal,
    flip_vertical,
    low_resolution,
    low_resolution_probability,
    rotate90,
    stain_jitter,
)
from models.training.targets import hv_map


def synthetic_instances():
    """Three asymmetric nuclei on a 40 x 40 grid."""
    inst = np.zeros((40, 40), dtype=np.int32)
    inst[3:12, 5:20] = 1
    inst[20:36, 8:14] = 2
    inst[25:30, 25:38] = 3
    inst[26, 37] = 0
    return inst


class HvAugmentTest(unittest.TestCase):
    def check(self, transform):
        inst = synthetic_instances()
        image = inst[..., None].astype(np.float32)
        moved_image, moved_hv = transform(image, hv_map(inst))
        expected = hv_map(np.ascontiguousarray(moved_image[..., 0]).astype(np.int32))
        np.testing.assert_allclose(moved_hv, expected, atol=1e-5)

    def test_horizontal_flip_negates_x_offsets(self):
        self.check(flip_horizontal)

    def test_vertical_flip_negates_y_offsets(self):
        self.check(flip_vertical)

    def test_quarter_turn_swaps_and_negates_offsets(self):
        self.check(rotate90)

    def test_three_quarter_turns_and_flip_compose(self):
        def compose(image, hv):
            for _ in range(3):
                image, hv = rotate90(image, hv)
            return flip_vertical(*flip_horizontal(image, hv))

        self.check(compose)


class StainJitterTest(unittest.TestCase):
    def test_keeps_pixels_in_range_and_close_to_the_input(self):
        rng = np.random.default_rng(0)
        image = rng.uniform(0.2, 0.95, (16, 16, 3)).astype(np.float32)
        jittered = stain_jitter(image, rng)
        self.assertTrue((jittered >= 0).all() and (jittered <= 1).all())
        self.assertLess(np.abs(jittered - image).mean(), 0.1)


if __name__ == "__main__":
    unittest.main()


class LowResolutionTest(unittest.TestCase):
    def test_keeps_the_shape_and_mean_but_removes_fine_detail(self):
        checker = (np.indices((64, 64)).sum(axis=0) % 2).astype(np.float32)
        image = np.repeat(checker[..., None], 3, axis=2)
        degraded = low_resolution(image, 2.0)
        self.assertEqual(degraded.shape, image.shape)
        self.assertAlmostEqual(float(degraded.mean()), float(image.mean()), delta=0.05)
        self.assertLess(float(degraded.std()), 0.25 * float(image.std()))


class LowResolutionShareTest(unittest.TestCase):
    def test_only_models_finer_than_20x_train_on_simulated_20x_scans(self):
        self.assertEqual(low_resolution_probability(0.25), LOW_RESOLUTION_PROBABILITY)
        self.assertEqual(low_resolution_probability(0.5), 0.0)
        self.assertEqual(low_resolution_probability(1.0), 0.0)

    def test_a_zero_share_never_degrades_and_leaves_the_random_stream_as_it_was(self):
        image = np.random.default_rng(0).random((32, 32, 3)).astype(np.float32)
        calls = []
        original = augment.low_resolution
        augment.low_resolution = lambda img, factor: calls.append(factor) or img
        untaken = 0
        try:
            for seed in range(30):
                without, with_share = np.random.default_rng(seed), np.random.default_rng(seed)
                plain = augment.photometric(image, without, 0.0)
                self.assertEqual(calls, [])
                shared = augment.photometric(image, with_share, LOW_RESOLUTION_PROBABILITY)
                if calls:
                    calls.clear()
                    continue
                untaken += 1
                np.testing.assert_array_equal(plain, shared)
                self.assertEqual(without.random(), with_share.random())
        finally:
            augment.low_resolution = original
        self.assertTrue(0 < untaken < 30)
