"""Argument checks and seeding for :mod:`pdclean.noise` (messages name the argument)."""

from __future__ import annotations

import numbers

import numpy as np

from pdclean.errors import InputError, InputTypeError

FPC = 1e-6  # fuzzy comparison slack used by every bound below


class _DefaultSeed(int):
    """The default seed 0, distinguishable from an explicit ``random_state=0``."""

    def __repr__(self) -> str:
        return "0"


DEFAULT_SEED = _DefaultSeed(0)


def make_rng(random_state: object, name: str = "random_state") -> np.random.RandomState:
    """Return a local RandomState; ``None`` gives a fresh one (never the global generator)."""
    if random_state is None:
        return np.random.RandomState()
    if isinstance(random_state, bool) or not isinstance(
        random_state, numbers.Integral | np.random.RandomState
    ):
        raise InputTypeError(
            f"{name} must be None, an int or a numpy.random.RandomState, got {random_state!r}. "
            "Pass an int seed for reproducible results."
        )
    from sklearn.utils import check_random_state  # imported on use: keeps `import pdclean` fast

    return check_random_state(random_state)


def check_int(value: object, name: str, minimum: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputTypeError(f"{name} must be an int, got {value!r}.")
    if minimum is not None and value < minimum:
        raise InputError(f"{name} must be >= {minimum}, got {value!r}.")
    return int(value)


def check_real(value: object, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputTypeError(f"{name} must be a real number, got {value!r}.")
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low} and {high}, got {value!r}.")
    return float(value)


def check_bounds(low: float, high: float, names: tuple[str, str]) -> None:
    if low > high:
        raise InputError(
            f"{names[1]}={low!r} is larger than {names[0]}={high!r}; pass {names[1]} <= {names[0]}."
        )


def _check_py(py: object, K: int) -> np.ndarray:
    arr = np.asarray(py, dtype=float)
    if arr.shape != (K,):
        raise InputError(f"py must hold one prior probability per class ({K} values), got {py!r}.")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or abs(arr.sum() - 1) > FPC:
        raise InputError(
            f"py must be non-negative and sum to 1 (tolerance 1e-6), got {py!r} "
            f"(sum {arr.sum()!r}). Divide the class counts by their total."
        )
    return arr


def check_square(noise_matrix: object) -> np.ndarray:
    nm = np.asarray(noise_matrix, dtype=float)
    if nm.ndim != 2 or nm.shape[0] != nm.shape[1] or nm.shape[0] < 1:
        raise InputError(
            f"noise_matrix must be a square K x K matrix, got shape {nm.shape} "
            f"from {noise_matrix!r}."
        )
    return nm


def check_column_stochastic(noise_matrix: object) -> np.ndarray:
    nm = check_square(noise_matrix)
    if not np.all(np.isfinite(nm)) or np.any(nm < 0) or np.any(nm > 1):
        raise InputError(
            f"noise_matrix entries must be probabilities in [0, 1], got {noise_matrix!r}."
        )
    sums = nm.sum(axis=0)
    if np.any(np.abs(sums - 1) > FPC):
        raise InputError(
            "noise_matrix columns must each sum to 1 (nm[s, y] = p(given s | true y)), got "
            f"column sums {sums.tolist()!r}. Transpose the matrix if its rows sum to 1."
        )
    return nm


def check_noise_labels(true_labels: object, K: int) -> np.ndarray:
    y = np.asarray(true_labels)
    if y.ndim != 1:
        raise InputError(f"true_labels must be one-dimensional, got shape {y.shape}.")
    if y.size and (y.dtype == bool or not np.issubdtype(y.dtype, np.integer)):
        raise InputTypeError(
            f"true_labels must hold integer class codes 0..K-1, got dtype {y.dtype} "
            f"({true_labels!r}). Encode the classes as integers first."
        )
    if y.size and (y.min() < 0 or y.max() >= K):
        raise InputError(
            f"true_labels must lie in 0..{K - 1} (noise_matrix is {K} x {K}), "
            f"got values from {y.min()!r} to {y.max()!r}."
        )
    return y


def resolve_seed(random_state: object, seed: object) -> np.random.RandomState:
    if seed is None:
        return make_rng(random_state)
    if random_state is not DEFAULT_SEED:
        raise InputError(
            f"got both random_state={random_state!r} and seed={seed!r}; "
            "seed is an alias of random_state, pass only one of them."
        )
    return make_rng(seed, "seed")


def _check_trace(K: int, trace: object, valid_noise_matrix: bool, frac_zero: float) -> float:
    trace = check_real(trace, "trace", 0.0, np.inf)
    if trace >= K:
        raise InputError(
            f"trace must be < K={K} (the trace of a K x K noise matrix is at most K, and K "
            f"means no noise at all), got trace={trace!r}."
        )
    if valid_noise_matrix and trace <= 1:
        raise InputError(
            f"trace must be > 1 for a valid noise matrix, got trace={trace!r}. "
            "Raise trace or pass valid_noise_matrix=False."
        )
    if K == 2 and frac_zero >= 0.5 and trace < 1:
        raise InputError(
            f"trace must be >= 1 when K == 2 and frac_zero_noise_rates >= 0.5, got trace={trace!r}."
        )
    return trace


def check_matrix_args(
    K: object,
    trace: object,
    bounds: tuple[object, object, object, object],
    valid_noise_matrix: object,
    py: object,
    frac_zero: object,
) -> tuple[int, float, tuple[float, ...], float, np.ndarray | None]:
    """Validate the arguments of generate_noise_matrix_from_trace (except the seed)."""
    K = check_int(K, "K", 2)
    if not isinstance(valid_noise_matrix, bool | np.bool_):
        raise InputTypeError(f"valid_noise_matrix must be a bool, got {valid_noise_matrix!r}.")
    frac_zero = check_real(frac_zero, "frac_zero_noise_rates", 0.0, 1.0)
    trace = _check_trace(K, trace, valid_noise_matrix, frac_zero)
    names = ("max_trace_prob", "min_trace_prob", "max_noise_rate", "min_noise_rate")
    bounds = tuple(check_real(v, name, 0.0, 1.0) for v, name in zip(bounds, names))
    check_bounds(bounds[1], bounds[0], names[:2])
    check_bounds(bounds[3], bounds[2], names[2:])
    if py is not None:
        py = _check_py(py, K)
    elif valid_noise_matrix and K > 2:
        raise InputError(
            "py (the prior of the true labels) is required when valid_noise_matrix=True and "
            f"K > 2, got py=None with K={K}. Pass py or valid_noise_matrix=False."
        )
    return K, trace, bounds, frac_zero, py
