import unittest

from models.training.bundle_manifest import odd_kernel_px, postprocessing_for


class PostprocessingForTest(unittest.TestCase):
    def test_keeps_the_app_defaults_at_quarter_micron(self):
        params = postprocessing_for(0.25)
        self.assertNotIn("gradientKernelPx", params)
        self.assertNotIn("slopeRangePerPx", params)

    def test_halves_the_kernels_and_doubles_the_slopes_at_half_micron(self):
        params = postprocessing_for(0.5)
        self.assertEqual(params["gradientKernelPx"], 11)
        self.assertEqual(params["markerOpeningPx"], 3)
        self.assertAlmostEqual(params["slopeRangePerPx"]["min"], -0.104)
        self.assertAlmostEqual(params["slopeRangePerPx"]["max"], 0.126)

    def test_scales_the_smallest_nucleus_with_the_pixel_area(self):
        self.assertEqual(postprocessing_for(0.25)["minAreaPx"], 120)
        self.assertEqual(postprocessing_for(0.5)["minAreaPx"], 30)

    def test_kernel_edges_are_odd_and_at_least_three(self):
        self.assertEqual([odd_kernel_px(v) for v in (1.0, 4.4, 5.0, 10.5, 20.6)], [3, 5, 5, 11, 21])


if __name__ == "__main__":
    unittest.main()
