"""Per-nucleus type distributions, the nt temperature fitted on them and the
conformal scores, on small synthetic inputs whose answers are known."""
import importlib.util
import json
import unittest
from pathlib import Path

import numpy as np

from models.training import nucleus_types
from models.training.calibration_report import expected_calibration_error, prediction_sets
from models.training.classes import IGNORE
from models.training.conformal_scores import aps_scores, conformal_block, conformal_quantile, lac_scores
from models.training.temperature import fit_nucleus_temperature, fit_temperature, minimise_over_temperature


def softmax_rows(logits):
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def sampled_nuclei(seed, count, temperature):
    """Nuclei of 5-29 pixels whose true type is drawn from their distribution at `temperature`."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(5, 30, count)
    nucleus = np.repeat(np.arange(count), sizes)
    logits = rng.normal(0, 3, (count, 4))[nucleus] + rng.normal(0, 1.5, (len(nucleus), 4))
    ids = np.arange(1, count + 1)
    unlabelled = nucleus_types.NucleusPixels(logits, nucleus, np.ones(count, dtype=int), ids)
    probs = nucleus_types.distributions(unlabelled, temperature)
    true = np.array([rng.choice(4, p=p) for p in probs]) + 1
    return nucleus_types.NucleusPixels(logits, nucleus, true, ids)


class NucleusPixelsTest(unittest.TestCase):
    def setUp(self):
        # Nucleus 7: three pixels typed 2, 2, 1 and one unlabelled; nucleus 9: typed IGNORE.
        self.inst = np.array([[7, 7, 0], [7, 7, 9]])
        self.types = np.array([[2, 2, 0], [1, 0, IGNORE]], dtype=np.uint8)
        self.nt = np.zeros((3, 2, 3))
        self.nt[1] = [[0.0, 2.0, 5.0], [1.0, -1.0, 5.0]]

    def test_true_type_is_the_majority_of_the_typed_pixels(self):
        pixels = nucleus_types.nucleus_pixels(self.nt, self.inst, self.types)
        self.assertEqual(pixels.true_channel.tolist(), [2])
        self.assertEqual(pixels.label.tolist(), [7])

    def test_nuclei_of_unknown_type_are_left_out_but_every_pixel_of_a_kept_one_counts(self):
        pixels = nucleus_types.nucleus_pixels(self.nt, self.inst, self.types)
        self.assertEqual(pixels.count, 1)
        self.assertEqual(sorted(pixels.logits[:, 0].tolist()), [-1.0, 0.0, 1.0, 2.0])

    def test_a_tied_vote_goes_to_the_lowest_channel(self):
        types = np.array([[2, 1, 0], [0, 0, 0]], dtype=np.uint8)
        pixels = nucleus_types.nucleus_pixels(self.nt, self.inst, types)
        self.assertEqual(pixels.true_channel.tolist(), [1])

    def test_distribution_is_the_mean_of_the_per_pixel_class_softmax(self):
        pixels = nucleus_types.nucleus_pixels(self.nt, self.inst, self.types)
        class_logits = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [-1.0, 0.0]]) / 2.0
        expected = softmax_rows(class_logits).mean(axis=0)
        np.testing.assert_allclose(nucleus_types.distributions(pixels, 2.0)[0], expected, rtol=1e-12)

    def test_background_logit_does_not_change_the_distribution(self):
        shifted = self.nt.copy()
        shifted[0] = [[9.0, -4.0, 0.0], [3.0, 7.0, 0.0]]
        before = nucleus_types.distributions(nucleus_types.nucleus_pixels(self.nt, self.inst, self.types), 1.0)
        after = nucleus_types.distributions(nucleus_types.nucleus_pixels(shifted, self.inst, self.types), 1.0)
        np.testing.assert_allclose(after, before, rtol=1e-12)

    def test_concatenation_keeps_each_tiles_nuclei_apart(self):
        one = nucleus_types.nucleus_pixels(self.nt, self.inst, self.types)
        both = nucleus_types.concatenate([one, one])
        self.assertEqual(both.count, 2)
        probs = nucleus_types.distributions(both, 1.0)
        np.testing.assert_allclose(probs[0], probs[1])


class TemperatureFitTest(unittest.TestCase):
    def test_recovers_the_temperature_nuclei_were_sampled_with(self):
        for temperature in (0.6, 2.0):
            fitted = fit_nucleus_temperature(sampled_nuclei(seed=11, count=10000, temperature=temperature))
            self.assertAlmostEqual(fitted / temperature, 1.0, delta=0.08)

    def test_fitted_temperature_minimises_the_nucleus_brier_score(self):
        pixels = sampled_nuclei(seed=3, count=500, temperature=1.5)
        fitted = fit_nucleus_temperature(pixels)
        at_optimum = nucleus_types.brier_score(pixels, fitted)
        for factor in (0.9, 1.1):
            self.assertLess(at_optimum, nucleus_types.brier_score(pixels, fitted * factor))

    def test_a_class_the_head_never_predicts_cannot_drive_the_temperature_to_its_bound(self):
        pixels = sampled_nuclei(seed=11, count=3000, temperature=1.0)
        never = np.random.default_rng(2).choice(pixels.count, 300, replace=False)
        pixels.logits[np.isin(pixels.nucleus, never), 3] = -25.0
        pixels.true_channel[never] = 4
        nll_optimal = minimise_over_temperature(lambda t: nucleus_types.negative_log_likelihood(pixels, t))
        self.assertGreater(nll_optimal, 10.0)
        self.assertLess(fit_nucleus_temperature(pixels), 2.0)

    def test_refuses_zero_nuclei(self):
        none = np.zeros(0, dtype=int)
        empty = nucleus_types.NucleusPixels(np.zeros((0, 4)), none, none, none)
        with self.assertRaises(ValueError):
            fit_nucleus_temperature(empty)

    def test_recovers_a_per_sample_temperature(self):
        rng = np.random.default_rng(5)
        logits = rng.normal(0, 3, (5000, 3))
        labels = np.array([rng.choice(3, p=p) for p in softmax_rows(logits / 0.5)])
        self.assertAlmostEqual(fit_temperature(logits, labels) / 0.5, 1.0, delta=0.06)


class ConformalScoresTest(unittest.TestCase):
    def test_lac_and_aps_scores_of_a_known_distribution(self):
        probs = np.array([[0.5, 0.3, 0.2, 0.0]])
        self.assertAlmostEqual(lac_scores(probs, np.array([2]))[0], 0.7)
        self.assertAlmostEqual(aps_scores(probs, np.array([2]))[0], 0.8)
        self.assertAlmostEqual(aps_scores(probs, np.array([1]))[0], 0.5)

    def test_quantile_is_the_ceil_n_plus_one_times_one_minus_alpha_th_smallest(self):
        scores = np.arange(1, 20) / 20.0
        self.assertAlmostEqual(conformal_quantile(scores, 0.1), scores[17])
        self.assertEqual(conformal_quantile(scores[:5], 0.1), np.inf)

    def test_sets_from_calibration_scores_cover_exchangeable_nuclei_at_the_nominal_rate(self):
        pixels = sampled_nuclei(seed=21, count=4000, temperature=1.0)
        probs = nucleus_types.distributions(pixels, 1.0)
        calib, test = slice(0, 1500), slice(1500, None)
        for alpha in (0.1, 0.05):
            q = conformal_quantile(lac_scores(probs[calib], pixels.true_channel[calib]), alpha)
            covered = lac_scores(probs[test], pixels.true_channel[test]) <= q
            self.assertAlmostEqual(covered.mean(), 1 - alpha, delta=0.02)

    def test_block_keeps_sorted_scores_overall_and_per_true_class(self):
        probs = np.array([[0.6, 0.4], [0.1, 0.9], [0.7, 0.3]])
        block = conformal_block(probs, np.array([1, 2, 2]), "synthetic")
        self.assertEqual(block["lac"], sorted(block["lac"]))
        self.assertEqual(set(block["perClass"]), {"1", "2"})
        np.testing.assert_allclose(block["perClass"]["2"]["lac"], [0.1, 0.7])


class CalibrationReportTest(unittest.TestCase):
    def test_ece_weighs_each_bin_gap_by_its_share_of_nuclei(self):
        probs = np.array([[0.9, 0.1], [0.6, 0.4]])
        self.assertAlmostEqual(expected_calibration_error(probs, np.array([1, 2])), (0.1 + 0.6) / 2)

    def test_a_set_keeps_the_top_class_when_no_class_is_within_the_quantile(self):
        probs = np.array([[0.2, 0.7, 0.1], [0.4, 0.35, 0.25]])
        sets = prediction_sets(probs, "lac", np.array([0.5, 0.5, 0.5]))
        self.assertEqual(sets.tolist(), [[False, True, False], [True, False, False]])


class AppReferenceFixtureTest(unittest.TestCase):
    """The app's tests check its sets against this fixture, so it must be what the tools compute."""

    def test_fixture_matches_what_the_tools_compute_now(self):
        folder = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "uncertainty"
        spec = importlib.util.spec_from_file_location("make_nucleus_reference", folder / "make_nucleus_reference.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        stored = json.loads((folder / "nucleus_reference.json").read_text())
        fresh = module.build_reference()
        self.assertEqual(stored.keys(), fresh.keys())
        for key, value in fresh.items():
            np.testing.assert_allclose(np.array(stored[key]), np.array(value), rtol=1e-12, err_msg=key)


if __name__ == "__main__":
    unittest.main()
