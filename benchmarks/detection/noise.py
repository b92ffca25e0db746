"""The four kinds of injected label noise, each with a fixed seed.

* ``uniform_10`` / ``uniform_30``: exactly 10% / 30% of the rows get another class, chosen
  uniformly among the other classes.
* ``asymmetric_20``: class-conditional noise from ``pdclean.noise``: a noise matrix of trace
  ``0.8 K`` (``generate_noise_matrix_from_trace``, half of the off-diagonal rates zero when K > 2)
  applied by ``generate_noisy_labels``.
* ``instance_20``: instance-dependent noise. A clean-label model's out-of-fold probabilities
  (``clean_probs``) say which class each class is most confused with (the largest off-diagonal
  sum of probability mass); 20% of the rows are flipped to their class's most confusable class,
  drawn without replacement with probability proportional to the clean model's probability of
  that target class, so errors land on ambiguous rows, as human annotators make them.
"""

from __future__ import annotations

import numpy as np

from pdclean.noise import generate_noise_matrix_from_trace, generate_noisy_labels

NOISE_KINDS = ("uniform_10", "uniform_30", "asymmetric_20", "instance_20")


def uniform(y: np.ndarray, rate: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    K = int(y.max()) + 1
    rows = rng.choice(y.size, round(rate * y.size), replace=False)
    noisy = y.copy()
    noisy[rows] = (y[rows] + rng.integers(1, K, rows.size)) % K
    return noisy


def asymmetric(y: np.ndarray, rate: float, seed: int) -> np.ndarray:
    K = int(y.max()) + 1
    py = np.bincount(y, minlength=K) / y.size
    nm = generate_noise_matrix_from_trace(
        K,
        K * (1 - rate),
        py=py,
        valid_noise_matrix=True,
        frac_zero_noise_rates=0.5 if K > 2 else 0.0,
        random_state=seed,
    )
    return generate_noisy_labels(y, nm, random_state=seed)


def instance_dependent(
    y: np.ndarray, clean_probs: np.ndarray, rate: float, seed: int
) -> np.ndarray:
    K = clean_probs.shape[1]
    confusion = np.zeros((K, K))
    np.add.at(confusion, y, clean_probs)
    np.fill_diagonal(confusion, -np.inf)
    target = confusion.argmax(axis=1)[y]
    weight = clean_probs[np.arange(y.size), target] + 1e-12
    n_flip = round(rate * y.size)
    rows = np.random.default_rng(seed).choice(
        y.size, n_flip, replace=False, p=weight / weight.sum()
    )
    noisy = y.copy()
    noisy[rows] = target[rows]
    return noisy


def make_noisy(kind: str, y: np.ndarray, clean_probs: np.ndarray, seed: int) -> np.ndarray:
    """The noisy labels of one kind (``clean_probs`` is used by ``instance_20`` only)."""
    if kind == "uniform_10":
        return uniform(y, 0.1, seed)
    if kind == "uniform_30":
        return uniform(y, 0.3, seed)
    if kind == "asymmetric_20":
        return asymmetric(y, 0.2, seed)
    return instance_dependent(y, clean_probs, 0.2, seed)
