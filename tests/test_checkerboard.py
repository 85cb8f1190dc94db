"""The checkerboard score on small hand-made arrays, its two definitions, and its errors."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.checkerboard import (
    checkerboard_score,
    periodic_amplitude,
    periodic_frequencies,
    periodic_pattern,
    phase_means,
    smooth_blobs,
    spectral_share,
)

CHECKER = (-1.0) ** np.add.outer(np.arange(4), np.arange(4))  # +1 -1 / -1 +1


def test_constant_and_zero_images_score_zero():
    assert checkerboard_score(np.full((6, 6), 3.5)) == 0.0
    assert checkerboard_score(np.zeros((5, 7)), 2) == 0.0
    assert spectral_share(np.full((4, 4), -2.0)) == 0.0


def test_pure_checkerboard_and_any_periodic_tile_score_one():
    assert checkerboard_score(CHECKER) == pytest.approx(1.0)
    tile = np.array([[0.0, 5.0], [2.0, 9.0]])  # any 2x2 tile repeated is stride-periodic
    assert checkerboard_score(np.tile(tile, (3, 4))) == pytest.approx(1.0)
    assert checkerboard_score(np.tile(np.arange(9.0).reshape(3, 3), (2, 2)), 3) == pytest.approx(1)


def test_checkerboard_plus_ramp_by_hand():
    # x = checker + column index. Centred total: 16 (checker) + 4·(2.25 + 0.25 + 0.25 + 2.25)
    # (ramp) = 36, no cross term. Phase means: +1 - 0.5, -1 + 0.5, -1 - 0.5, +1 + 0.5,
    # 4 cells each: between = 4·(0.25 + 0.25 + 2.25 + 2.25) = 20. Score 20/36.
    assert checkerboard_score(CHECKER + np.arange(4)) == pytest.approx(20 / 36)


def test_smooth_ramp_scores_low_and_phase_means_by_hand():
    ramp = np.add.outer(np.arange(8.0), np.arange(8.0))  # x = m + n
    # phases differ only by the half-cell offset: means 6, 7, 7, 8 around 7; between
    # = 16·(1 + 0 + 0 + 1) = 32; total = 2·8·sum((n - 3.5)²) = 2·8·42 = 672.
    assert np.allclose(phase_means(ramp), [[6.0, 7.0], [7.0, 8.0]])
    assert checkerboard_score(ramp) == pytest.approx(32 / 672)
    gentle = np.sin(np.linspace(0, np.pi, 28))[:, None] * np.sin(np.linspace(0, np.pi, 28))
    assert checkerboard_score(gentle) < 0.01


def test_odd_sides_weigh_phases_by_their_cell_count():
    # two equal rows, so the row phase changes nothing
    x = np.array([[1.0, 0.0, 1.0]] * 2)  # column phase 0: two cells of 1, phase 1: one 0
    # mean 2/3; between = 2·(1/3)² + 1·(2/3)² = 2/3; total = the same: each phase constant
    assert checkerboard_score(x, 2) == pytest.approx(1.0)
    y = np.array([[1.0, 0.0, 0.0, 0.0, 2.0]] * 2)  # phase 0: 1, 0, 2 (mean 1); phase 1: 0, 0
    # per row: mean 3/5; between = 3·(2/5)² + 2·(3/5)² = 6/5; total = 5 - 5·(3/5)² = 16/5
    assert checkerboard_score(y, 2) == pytest.approx(6 / 16)


def test_stacks_are_scored_image_by_image_and_torch_works():
    stack = np.stack([CHECKER, np.ones((4, 4)), CHECKER + np.arange(4)])
    assert np.allclose(checkerboard_score(stack), [1.0, 0.0, 20 / 36])
    assert np.allclose(checkerboard_score(torch.tensor(stack)[:, None]), [[1.0], [0.0], [20 / 36]])


def test_period_one_explains_nothing_and_longer_periods_include_shorter():
    assert checkerboard_score(CHECKER, 1) == 0.0
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 8))
    assert checkerboard_score(x, 4) >= checkerboard_score(x, 2)  # phases of 4 refine those of 2


def test_periodic_frequencies():
    assert periodic_frequencies((28, 28)) == [(0, 14), (14, 0), (14, 14)]
    assert len(periodic_frequencies((12, 8), 4)) == 15
    with pytest.raises(ValueError, match="must divide both sides"):
        periodic_frequencies((28, 27), 2)


@given(
    arrays(
        np.float64,
        st.tuples(st.sampled_from([4, 8, 12]), st.sampled_from([4, 8, 12])),
        elements=st.floats(-100, 100),
    ),  # fmt: skip
    st.sampled_from([1, 2, 4]),
)
def test_score_equals_the_spectral_share(x, period):
    assert checkerboard_score(x, period) == pytest.approx(spectral_share(x, period), abs=1e-9)
    assert 0.0 <= checkerboard_score(x, period) <= 1.0


@given(
    arrays(np.float64, (6, 6), elements=st.floats(-10, 10)), st.floats(0.1, 10), st.floats(-5, 5)
)
def test_score_ignores_scale_and_offset(x, scale, offset):
    assert checkerboard_score(scale * x + offset) == pytest.approx(checkerboard_score(x), abs=1e-6)


def test_white_noise_sits_near_its_expected_level():
    noise = np.random.default_rng(1).normal(size=(200, 28, 28))
    expected = 3 / (28 * 28 - 1)  # (s² - 1) free phase means out of H·W - 1
    assert checkerboard_score(noise).mean() == pytest.approx(expected, rel=0.2)


@pytest.mark.parametrize(
    ("images", "period", "error", "match"),
    [
        (np.ones(5), 2, ValueError, r"images.shape=\(5,\) is invalid"),
        (3.0, 2, TypeError, "images=3.0 is invalid"),
        (np.ones((4, 4)), 0, ValueError, "period=0 is invalid"),
        (np.ones((4, 4)), 2.0, TypeError, "period=2.0 is invalid"),
        (np.ones((4, 3)), 4, ValueError, "period=4 is invalid: must be at most"),
        (np.full((2, 2), np.nan), 2, ValueError, "finite"),
    ],
)
def test_errors_name_the_parameter(images, period, error, match):
    with pytest.raises(error, match=match):
        checkerboard_score(images, period)


def test_periodic_amplitude_stays_near_zero_without_a_pattern():
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.1, (400, 28, 28))
    blobs = smooth_blobs(400, seed=1)
    for images in (noise, blobs, blobs + noise):
        assert abs(periodic_amplitude(images, 4)) < 0.003
    # ... while the phase score of the same noise is at its level (s^2 - 1)/(HW - 1)
    assert checkerboard_score(noise, 4).mean() == pytest.approx(15 / 783, rel=0.1)


@pytest.mark.parametrize("amplitude", [0.01, 0.03, 0.1])
@pytest.mark.parametrize("period", [2, 4])
def test_periodic_amplitude_recovers_a_planted_pattern(amplitude, period):
    rng = np.random.default_rng(2)
    images = smooth_blobs(300, seed=3) + rng.normal(0, 0.05, (300, 28, 28))
    planted = images + periodic_pattern((28, 28), period, amplitude=amplitude, seed=4)
    assert periodic_amplitude(planted, period) == pytest.approx(amplitude, rel=0.1)


def test_periodic_amplitude_keeps_a_pattern_whose_sign_changes_between_images():
    signs = np.where(np.random.default_rng(5).random(200) < 0.5, -1.0, 1.0)
    pattern = periodic_pattern((8, 8), 2, amplitude=0.2, seed=6)
    images = signs[:, None, None] * pattern
    assert periodic_amplitude(images, 2) == pytest.approx(0.2, rel=1e-6)
    assert abs(images.mean(axis=0)).max() < 0.2  # the mean image nearly cancels it


def test_periodic_amplitude_of_a_pure_pattern_is_its_rms_and_a_flat_image_zero():
    assert periodic_amplitude(CHECKER) == pytest.approx(1.0)
    assert periodic_amplitude(np.full((6, 6), 2.0), 3) == 0.0
    assert periodic_amplitude(torch.tensor(CHECKER)) == pytest.approx(1.0)


def test_periodic_pattern_and_blobs_validate():
    pattern = periodic_pattern((12, 6), 3, amplitude=0.3, seed=2)
    assert pattern.shape == (12, 6)
    assert np.sqrt(np.mean(pattern**2)) == pytest.approx(0.3)
    assert np.array_equal(pattern[:3], pattern[3:6])
    with pytest.raises(ValueError, match="period=1 is invalid"):
        periodic_pattern((4, 4), 1)
    with pytest.raises(ValueError, match="period=3 is invalid for shape"):
        periodic_pattern((4, 4), 3)
    with pytest.raises(ValueError, match="amplitude=-1 is invalid"):
        periodic_pattern((4, 4), 2, amplitude=-1)
    with pytest.raises(ValueError, match="period=3 is invalid for shape"):
        periodic_amplitude(np.zeros((2, 4, 4)), 3)
    with pytest.raises(ValueError, match="size=4 is invalid"):
        smooth_blobs(2, 4)
    assert np.array_equal(smooth_blobs(2, seed=7), smooth_blobs(2, seed=7))
