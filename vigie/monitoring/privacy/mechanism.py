"""Noise for statistics releases: calibration and sampling, both done by OpenDP.

Vigie never samples publication noise itself: floating-point noise written by hand is a classic
source of privacy leaks (Mironov 2012), and OpenDP's samplers are built and proved against them.
OpenDP's samplers cannot be seeded, on purpose; tests that need a reproducible release use
``SeededGaussianNoise``, which must never be used for a publication.
"""

import math
from functools import cache
from typing import Protocol

import numpy as np
import opendp.prelude as dp

# The measurements and combinators used here are all in OpenDP's "contrib" set (proved in the
# library's proof documents, but not yet vetted); no "floating-point" or "honest-but-curious"
# feature is needed.
dp.enable_features("contrib")


def _gaussian_vector_space(size: int | None = None) -> tuple[dp.Domain, dp.Metric]:
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False), size=size)
    return domain, dp.l2_distance(T=float)


def _gaussian_approx_dp(scale: float, delta: float) -> dp.Measurement:
    # The zCDP → (ε, δ) conversion OpenDP applies here is the exact one (Canonne, Kamath,
    # Steinke 2020), about 15 % less noise at ε = 1, δ = 1e-6 than the textbook
    # scale = sensitivity · sqrt(2 ln(1.25/δ)) / ε.
    gaussian = dp.m.make_gaussian(*_gaussian_vector_space(), scale=scale)
    return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(gaussian), delta=delta)


@cache  # a pure function of its arguments, and the search takes a tenth of a second
def gaussian_scale(*, epsilon: float, delta: float, l2_sensitivity: float) -> float:
    """The smallest noise standard deviation whose (ε, δ) guarantee is within ``epsilon``."""
    return float(
        dp.binary_search_param(
            lambda scale: _gaussian_approx_dp(scale, delta),
            d_in=l2_sensitivity,
            d_out=(epsilon, delta),
            T=float,
        )
    )


def gaussian_epsilon(*, scale: float, delta: float, l2_sensitivity: float) -> float:
    """OpenDP's privacy map: the ε a Gaussian of ``scale`` spends at ``delta``."""
    epsilon, _ = _gaussian_approx_dp(scale, delta).map(l2_sensitivity)
    return float(epsilon)


def gaussian_rho(*, scale: float, l2_sensitivity: float) -> float:
    """OpenDP's zero-concentrated (rho-zCDP) guarantee of a Gaussian of ``scale``."""
    gaussian = dp.m.make_gaussian(*_gaussian_vector_space(), scale=scale)
    return float(gaussian.map(l2_sensitivity))


class NoiseSource(Protocol):
    def add_gaussian(self, values: np.ndarray, scale: float) -> np.ndarray:
        """``values`` (1-D float) plus independent Gaussian noise of standard deviation
        ``scale``."""
        ...


class OpenDPGaussianNoise:
    """Production noise: OpenDP's Gaussian mechanism, seeded from the operating system."""

    def add_gaussian(self, values: np.ndarray, scale: float) -> np.ndarray:
        flat = np.asarray(values, dtype=np.float64).ravel()
        # The true counts go into OpenDP's measurement, which adds its own noise: nothing
        # between the counts and the published values is Vigie's own sampling.
        measurement = dp.m.make_gaussian(*_gaussian_vector_space(flat.size), scale=scale)
        return np.asarray(measurement(flat.tolist()), dtype=np.float64)


class SeededGaussianNoise:
    """TEST-ONLY: numpy's Gaussian with a fixed seed, for reproducible releases in tests.

    numpy's floating-point normal sampler is not hardened against the attacks OpenDP's is, and a
    known seed makes the noise public: a release made with this source protects nobody.
    """

    def __init__(self, seed: int) -> None:
        self._generator = np.random.default_rng(seed)

    def add_gaussian(self, values: np.ndarray, scale: float) -> np.ndarray:
        flat = np.asarray(values, dtype=np.float64).ravel()
        return flat + self._generator.normal(0.0, scale, size=flat.size)


def laplace_scale(*, epsilon: float, l1_sensitivity: int = 1) -> float:
    """The smallest discrete-Laplace scale OpenDP accepts for ``epsilon``-DP on integer counts."""
    domain = dp.vector_domain(dp.atom_domain(T=int))
    metric = dp.l1_distance(T=int)
    return float(
        dp.binary_search_param(
            lambda scale: dp.m.make_laplace(domain, metric, scale=scale),
            d_in=l1_sensitivity,
            d_out=epsilon,
            T=float,
        )
    )


def laplace_counts(counts: np.ndarray, *, epsilon: float) -> np.ndarray:
    """One table released alone with OpenDP's (discrete) Laplace mechanism: the benchmark's and
    the tests' baseline, never used by a release. One record changes one cell by one, so the
    L1 sensitivity is 1. Returns raw noisy integers (the caller clips and rounds)."""
    flat = np.asarray(counts, dtype=np.int64).ravel()
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError(f"epsilon must be a positive number, not {epsilon!r}")
    scale = laplace_scale(epsilon=epsilon)
    measurement = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int), size=flat.size), dp.l1_distance(T=int), scale
    )
    noisy = measurement([int(value) for value in flat])
    return np.asarray(noisy, dtype=np.int64).reshape(np.shape(counts))
