"""Noise matrices and noisy labels, for benchmarking label-error detection.

The public, cleanlab-compatible path of :mod:`pdclean.noise` (where the implementation lives).
"""

from __future__ import annotations

from pdclean.core.noise import (
    generate_n_rand_probabilities_that_sum_to_m,
    generate_noise_matrix_from_trace,
    generate_noisy_labels,
    noise_matrix_is_valid,
    randomly_distribute_N_balls_into_K_bins,
)

__all__ = [
    "generate_n_rand_probabilities_that_sum_to_m",
    "generate_noise_matrix_from_trace",
    "generate_noisy_labels",
    "noise_matrix_is_valid",
    "randomly_distribute_N_balls_into_K_bins",
]
