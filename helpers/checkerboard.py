"""A checkerboard score: how much of an image's variation repeats with the stride's period.

A transposed convolution of stride ``s`` writes its output in ``s x s`` interleaved
*phases* (cell ``(m, n)`` belongs to phase ``(m mod s, n mod s)``); a checkerboard artifact
is a difference between the phases that does not come from the picture. The score measures
it in two equivalent ways:

- :func:`checkerboard_score` -- the share of the image's variance that the phase alone
  explains (between-phase variance over total variance, the correlation ratio eta squared);
- :func:`spectral_share` -- the share of the image's energy, mean removed, at the
  stride-periodic frequencies of its 2-D discrete Fourier transform (for ``s = 2``: the
  frequencies ``(pi, 0)``, ``(0, pi)`` and ``(pi, pi)``).

When ``s`` divides both sides the two numbers are equal (Parseval's theorem applied to the
image folded onto one ``s x s`` period); the tests check it. A constant or a smooth image
scores (nearly) 0, a pure stride-periodic pattern scores 1.

The score suits images that are mostly pattern (a decoder's output for a constant code). It
cannot tell a faint periodic pattern from fine noise: white noise scores about
``(s**2 - 1) / (H W - 1)`` on its own. For faint artifacts on real pictures use
:func:`periodic_amplitude`: over many images, the power at the stride frequencies in excess of
the power at the neighbouring frequencies, as the root-mean-square amplitude of a periodic
pattern (0 within noise for images without one; the planted amplitude for images with one).

Introduced in notebook 07, after Odena, Dumoulin & Olah, "Deconvolution and Checkerboard
Artifacts", Distill (2016), who show the artifacts but give no number for them.
"""

from __future__ import annotations

import numbers

import numpy as np

from helpers.validation import check_int, check_real

__all__ = [
    "checkerboard_score",
    "periodic_amplitude",
    "periodic_frequencies",
    "periodic_pattern",
    "phase_means",
    "smooth_blobs",
    "spectral_share",
]


def _images(name: str, images) -> np.ndarray:
    """``images`` as a float64 array of at least 2 dimensions (a torch tensor works too)."""
    if hasattr(images, "detach"):  # a torch.Tensor, on any device
        images = images.detach().cpu().double().numpy()
    if isinstance(images, numbers.Number) or images is None:
        raise TypeError(f"{name}={images!r} is invalid: must be an array of shape (..., H, W)")
    array = np.asarray(images, dtype=np.float64)
    if array.ndim < 2:
        raise ValueError(
            f"{name}.shape={array.shape} is invalid: must have at least 2 dimensions (..., H, W)"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} is invalid: must hold finite numbers only")
    return array


def _period(period, shape: tuple[int, ...]) -> int:
    s = check_int("period", period, minimum=1)
    if s > min(shape[-2:]):
        raise ValueError(
            f"period={s} is invalid: must be at most the image's smaller side "
            f"{min(shape[-2:])} (images of shape {shape[-2:]}), or a phase would be empty"
        )
    return s


def phase_means(images, period: int = 2) -> np.ndarray:
    """The mean of each stride phase: cells ``(m, n)`` with the same ``(m mod s, n mod s)``.

    Parameters
    ----------
    images : array_like or torch.Tensor, shape (..., H, W)
        One image or a stack of them.
    period : int, default=2
        The stride ``s``, ``1 <= s <= min(H, W)``.

    Returns
    -------
    ndarray of float64, shape (..., s, s)
        Entry ``[..., r, c]`` is ``mean(images[..., r::s, c::s])``.

    Raises
    ------
    TypeError, ValueError
        If ``images`` is not an array of at least 2 dimensions of finite numbers, or
        ``period`` is not an int in range.

    Notes
    -----
    Introduced in notebook 07. For a transposed convolution of stride ``s`` the phase of a
    cell says which kernel taps wrote it (lesson 04's overlap pattern).

    Examples
    --------
    >>> phase_means([[1, 2, 1, 2], [3, 4, 3, 4]])
    array([[1., 2.],
           [3., 4.]])
    """
    x = _images("images", images)
    s = _period(period, x.shape)
    means = np.empty(x.shape[:-2] + (s, s))
    for r in range(s):
        for c in range(s):
            means[..., r, c] = x[..., r::s, c::s].mean(axis=(-2, -1))
    return means


def checkerboard_score(images, period: int = 2):
    """The share of an image's variance explained by its stride phase (0 to 1).

    Parameters
    ----------
    images : array_like or torch.Tensor, shape (..., H, W)
        One image, or a stack of images scored one by one.
    period : int, default=2
        The stride ``s`` (for a stack of upsampling layers, the product of their strides),
        ``1 <= s <= min(H, W)``.

    Returns
    -------
    float or ndarray of float64, shape (...)
        With ``mu`` the image's mean, ``m_rc`` and ``n_rc`` the mean and the number of
        cells of phase ``(r, c)`` (see :func:`phase_means`)::

            score = sum_rc n_rc (m_rc - mu)**2 / sum_mn (x_mn - mu)**2

        the between-phase sum of squares over the total sum of squares (the correlation
        ratio eta squared of the pixels against their phase). 0 for a constant image
        (0/0 is taken as 0) and when every phase has the same mean; 1 exactly when the
        image is stride-periodic (each phase constant). A float for one image.

    Raises
    ------
    TypeError, ValueError
        As :func:`phase_means`.

    See Also
    --------
    spectral_share : The same number from the 2-D Fourier transform.

    Notes
    -----
    Introduced in notebook 07. When ``s`` divides ``H`` and ``W`` the score equals
    :func:`spectral_share`: the energy at the frequencies ``(2 pi a / s, 2 pi b / s)``,
    ``(a, b) != (0, 0)``, over all the energy with the mean removed. For white noise
    its expected value is about ``(s**2 - 1) / (H W - 1)`` (0.004 for ``s = 2`` and a
    28 x 28 image), the level a picture without artifacts sits near.

    Examples
    --------
    >>> float(checkerboard_score(np.ones((4, 4))))
    0.0
    >>> checker = (-1.0) ** np.add.outer(np.arange(4), np.arange(4))
    >>> float(checkerboard_score(checker))
    1.0
    >>> round(float(checkerboard_score(checker + np.arange(4))), 4)   # a ramp dilutes it: 20/36
    0.5556
    """
    x = _images("images", images)
    s = _period(period, x.shape)
    centred = x - x.mean(axis=(-2, -1), keepdims=True)
    total = np.square(centred).sum(axis=(-2, -1))
    between = np.zeros(x.shape[:-2])
    for r in range(s):
        for c in range(s):
            phase = centred[..., r::s, c::s]
            count = phase.shape[-2] * phase.shape[-1]
            between += count * np.square(phase.mean(axis=(-2, -1)))
    # relative to the image's own size: below this, "variance" is rounding noise
    flat = total <= 1e-24 * np.maximum(1.0, np.square(x).sum(axis=(-2, -1)))
    score = np.where(flat, 0.0, between / np.where(flat, 1.0, total))
    score = np.clip(score, 0.0, 1.0)
    return float(score) if score.ndim == 0 else score


def periodic_frequencies(shape, period: int = 2) -> list[tuple[int, int]]:
    """The DFT bins of the stride-periodic frequencies of an ``H x W`` image, DC excluded.

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``; the period must divide both.
    period : int, default=2
        The stride ``s``.

    Returns
    -------
    list of (int, int)
        The bins ``(a H / s, b W / s)`` for ``0 <= a, b < s`` except ``(0, 0)``: the
        angular frequencies ``(2 pi a / s, 2 pi b / s)``, ``s**2 - 1`` of them.

    Raises
    ------
    ValueError
        If ``period`` does not divide ``H`` and ``W``.

    Notes
    -----
    Introduced in notebook 07.

    Examples
    --------
    >>> periodic_frequencies((28, 28))     # (0, pi), (pi, 0), (pi, pi)
    [(0, 14), (14, 0), (14, 14)]
    """
    if not isinstance(shape, tuple | list) or len(shape) != 2:
        raise TypeError(f"shape={shape!r} is invalid: must be a pair (H, W)")
    h, w = (check_int(name, value, minimum=1) for name, value in zip("HW", shape, strict=True))
    s = _period(period, (h, w))
    if h % s or w % s:
        raise ValueError(
            f"period={s} is invalid for shape ({h}, {w}): must divide both sides, or the "
            "periodic frequencies fall between the DFT bins (use checkerboard_score)"
        )
    return [(a * h // s, b * w // s) for a in range(s) for b in range(s) if (a, b) != (0, 0)]


def spectral_share(images, period: int = 2):
    """The share of the energy (mean removed) at the stride-periodic frequencies of the 2-D DFT.

    Parameters
    ----------
    images : array_like or torch.Tensor, shape (..., H, W)
        The period must divide ``H`` and ``W``.
    period : int, default=2

    Returns
    -------
    float or ndarray of float64, shape (...)
        ``sum_{f in P} |X(f)|**2 / sum_{f != 0} |X(f)|**2`` with ``X = numpy.fft.fft2``
        and ``P`` = :func:`periodic_frequencies`; 0 for a constant image.

    Raises
    ------
    TypeError, ValueError
        As :func:`checkerboard_score`, or if the period does not divide the sides.

    See Also
    --------
    checkerboard_score : The same number without a Fourier transform, for any size.

    Notes
    -----
    Introduced in notebook 07, as the second definition of the score. Folding the image
    onto one period gives ``X`` at the bins of ``P``, and Parseval's theorem turns the
    energy there into the between-phase sum of squares of :func:`checkerboard_score`.

    Examples
    --------
    >>> float(spectral_share((-1.0) ** np.arange(6)[:, None] * np.ones((6, 6))))
    1.0
    """
    x = _images("images", images)
    bins = periodic_frequencies(x.shape[-2:], period)
    power = np.abs(np.fft.fft2(x)) ** 2
    total = power.sum(axis=(-2, -1)) - power[..., 0, 0]
    periodic = sum(power[..., a, b] for a, b in bins)
    flat = total <= 1e-24 * np.maximum(1.0, power[..., 0, 0])
    share = np.clip(np.where(flat, 0.0, periodic / np.where(flat, 1.0, total)), 0.0, 1.0)
    return float(share) if share.ndim == 0 else share


def _neighbours(shape: tuple[int, int], bins: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """For each stride bin, the 8 bins around it (wrapping), less stride bins and DC."""
    h, w = shape
    excluded = set(bins) | {(0, 0)}
    around = []
    for a, b in bins:
        ring = {((a + da) % h, (b + db) % w) for da in (-1, 0, 1) for db in (-1, 0, 1)}
        around.append(sorted(ring - excluded))
    return around


def periodic_amplitude(images, period: int = 2) -> float:
    """The amplitude of a stride-periodic pattern in a stack of images, beyond what noise gives.

    Parameters
    ----------
    images : array_like or torch.Tensor, shape (N, H, W) or (H, W)
        Many images of the same kind (a decoder's outputs); the period must divide ``H``
        and ``W``.
    period : int, default=2
        The stride ``s`` (the product of the strides for stacked layers).

    Returns
    -------
    float
        With ``P(f)`` the power spectrum ``|fft2(x)(f)|**2 / (H W)**2`` averaged over the
        images, ``B`` the stride bins of :func:`periodic_frequencies` and ``N(b)`` the
        (up to 8) bins around ``b`` that are neither in ``B`` nor the mean::

            excess = sum_{b in B} (P(b) - mean_{f in N(b)} P(f))
            amplitude = sign(excess) * sqrt(|excess|)

        A zero-mean pattern of period ``s`` and root-mean-square amplitude ``a`` puts power
        ``a**2`` at the bins of ``B`` and nothing elsewhere, so planted on any images it
        raises the excess by ``a**2``: the amplitude measures ``a`` in the images' own
        units. Noise and smooth pictures have about the same power at a stride bin as
        around it, so their amplitude is near 0, of either sign (negative: less power
        at the stride frequencies than around them).

    Raises
    ------
    TypeError, ValueError
        As :func:`spectral_share`.

    See Also
    --------
    checkerboard_score : The share of one image's variance at the stride phase.
    periodic_pattern : A pattern of known amplitude to plant, as a control.

    Notes
    -----
    Introduced in notebook 07. Averaging the *power* over images keeps a pattern whose sign
    changes from image to image (its power adds up), while the noise's power at a bin
    varies less and less around its neighbours' as images are added. With ``N`` images of
    white noise of standard deviation ``sigma`` the excess is about
    ``sigma**2 / (H W) * sqrt(|B| / N)`` in size, so the floor falls as ``N`` grows.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> noise = rng.normal(0, 0.1, (200, 28, 28))
    >>> abs(periodic_amplitude(noise, 4)) < 0.003
    True
    >>> planted = noise + periodic_pattern((28, 28), 4, amplitude=0.02, seed=1)
    >>> round(periodic_amplitude(planted, 4), 2)
    0.02
    """
    x = _images("images", images)
    bins = periodic_frequencies(x.shape[-2:], period)
    h, w = x.shape[-2:]
    power = np.abs(np.fft.fft2(x.reshape(-1, h, w))) ** 2 / float(h * w) ** 2
    mean_power = power.mean(axis=0)
    excess = 0.0
    for (a, b), around in zip(bins, _neighbours((h, w), bins), strict=True):
        excess += mean_power[a, b] - np.mean([mean_power[f] for f in around])
    return float(np.sign(excess) * np.sqrt(abs(excess)))


def periodic_pattern(shape, period: int = 2, *, amplitude: float = 1.0, seed: int = 0):
    """A random zero-mean pattern of period ``s``, scaled to a root-mean-square ``amplitude``.

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``; the period must divide both.
    period : int, default=2
        ``s >= 2``.
    amplitude : float, default=1.0
        The pattern's root-mean-square value, ``>= 0``.
    seed : int, default=0
        Seeds the ``s x s`` tile (standard normal, then centred and scaled).

    Returns
    -------
    ndarray of float64, shape (H, W)
        One ``s x s`` tile repeated: what a decoder's artifact looks like, of known size.

    Notes
    -----
    Introduced in notebook 07, to plant on images as the positive control of
    :func:`periodic_amplitude`.

    Examples
    --------
    >>> pattern = periodic_pattern((8, 8), 2, amplitude=0.5)
    >>> round(float(np.sqrt(np.mean(pattern**2))), 6), round(float(pattern.mean()), 6)
    (0.5, 0.0)
    >>> bool(np.all(pattern[:2, :2] == pattern[4:6, 2:4]))
    True
    """
    check_int("period", period, minimum=2)  # a period of 1 has no zero-mean pattern
    periodic_frequencies(shape, period)  # checks the shape, and that the period divides it
    amplitude = check_real("amplitude", amplitude, minimum=0)
    s = int(period)
    tile = np.random.default_rng(check_int("seed", seed, minimum=0)).standard_normal((s, s))
    tile -= tile.mean()
    tile *= amplitude / np.sqrt(np.mean(tile**2))
    h, w = shape
    return np.tile(tile, (h // s, w // s))


def smooth_blobs(count: int, size: int = 28, *, seed: int = 0) -> np.ndarray:
    """Round Gaussian blobs of random centre and width: pictures with no periodic part.

    Parameters
    ----------
    count : int
        Images, ``count >= 1``.
    size : int, default=28
        Their side, ``size >= 8``.
    seed : int, default=0
        Seeds the centres (uniform in the middle half of the image) and the widths
        (standard deviation uniform in 2 to 5 pixels).

    Returns
    -------
    ndarray of float64, shape (count, size, size)
        Peak 1 at each blob's centre, near 0 at the border.

    Notes
    -----
    Introduced in notebook 07, as a control: a smooth picture, with noise added or not,
    that :func:`periodic_amplitude` must put at its floor.

    Examples
    --------
    >>> blobs = smooth_blobs(3)
    >>> blobs.shape, bool(blobs.max() <= 1.0)
    ((3, 28, 28), True)
    """
    count = check_int("count", count, minimum=1)
    size = check_int("size", size, minimum=8)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    centres = rng.uniform(size / 4, 3 * size / 4, (count, 2, 1, 1))
    widths = rng.uniform(2.0, 5.0, (count, 1, 1))
    rows, cols = np.mgrid[0:size, 0:size]
    squared = (rows - centres[:, 0]) ** 2 + (cols - centres[:, 1]) ** 2
    return np.exp(-squared / (2 * widths**2))
