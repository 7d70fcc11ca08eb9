"""HoVer-Net targets and the instance metrics used for validation."""
import unittest

import numpy as np

from models.training.metrics import aggregated_jaccard, panoptic_quality
from models.training.postprocess import instances
from models.training.targets import hv_map


class HvMapTest(unittest.TestCase):
    def test_offsets_span_minus_one_to_one_inside_each_nucleus(self):
        inst = np.zeros((20, 20), dtype=np.int32)
        inst[2:9, 3:12] = 1
        hv = hv_map(inst)
        for channel in hv:
            self.assertAlmostEqual(channel[inst == 1].min(), -1.0)
            self.assertAlmostEqual(channel[inst == 1].max(), 1.0)

    def test_x_offset_grows_to_the_right_and_y_offset_downwards(self):
        inst = np.zeros((20, 20), dtype=np.int32)
        inst[5:15, 5:15] = 1
        hv = hv_map(inst)
        self.assertLess(hv[0, 10, 5], 0)
        self.assertGreater(hv[0, 10, 14], 0)
        self.assertLess(hv[1, 5, 10], 0)
        self.assertGreater(hv[1, 14, 10], 0)

    def test_background_is_zero(self):
        inst = np.zeros((10, 10), dtype=np.int32)
        inst[2:5, 2:5] = 1
        self.assertTrue((hv_map(inst)[:, inst == 0] == 0).all())


class PostprocessTest(unittest.TestCase):
    def test_perfect_maps_split_touching_nuclei(self):
        inst = np.zeros((60, 60), dtype=np.int32)
        yy, xx = np.mgrid[:60, :60]
        inst[(yy - 30) ** 2 + (xx - 20) ** 2 < 100] = 1
        inst[(yy - 30) ** 2 + (xx - 38) ** 2 < 100] = 2
        pred = instances((inst > 0).astype(np.float32), hv_map(inst))
        self.assertEqual(len(np.unique(pred)) - 1, 2)
        self.assertGreater(panoptic_quality(inst, pred), 0.8)


class MetricsTest(unittest.TestCase):
    def test_identical_maps_score_one(self):
        inst = np.zeros((10, 10), dtype=np.int32)
        inst[1:4, 1:4], inst[6:9, 6:9] = 1, 2
        self.assertEqual(panoptic_quality(inst, inst), 1.0)
        self.assertEqual(aggregated_jaccard(inst, inst), 1.0)

    def test_missed_nucleus_lowers_pq_by_the_detection_term(self):
        inst = np.zeros((10, 10), dtype=np.int32)
        inst[1:4, 1:4], inst[6:9, 6:9] = 1, 2
        pred = np.where(inst == 2, 0, inst)
        self.assertAlmostEqual(panoptic_quality(inst, pred), 1 / 1.5)


if __name__ == "__main__":
    unittest.main()
