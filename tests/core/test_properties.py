"""Property tests of the numpy-level core (STYLE.md rule 10).

Invariants checked with hypothesis: scores lie in [0, 1]; permuting rows permutes every
per-row output; consistently relabelling the classes permutes the confident joint and leaves
masks and scores unchanged; perfect pred_probs give no issues; the calibrated confident joint
has the class counts as row sums; and the vectorized results equal a slow, obvious Python-loop
implementation written below from SPEC.md (sections 1.2, 3.1-3.3, 4.1-4.3, 5.3-5.5), also when
the row-block size is shrunk.

Two problem families: "dyadic" problems have probabilities that are multiples of 1/4, 1/8 or
1/16 (exact zeros, ones and many ties; every sum is exact, so thresholds do not depend on
summation order), "smooth" problems have continuous Dirichlet-like rows with label noise (no
exact ties, so outputs that break ties by row or class index can be compared across
permutations). Class relabelling is checked only where no rounding tie of the calibration was
decisive: such ties are broken by class index (SPEC 1.3), which relabelling changes.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pdclean import count, dataset, rank
from pdclean import filter as pdfilter
from pdclean.core import blocks
from pdclean.core.scores import SCORE_METHODS

FILTERS = pdfilter.FILTER_BY
PRUNE_FILTERS = FILTERS[:3]
METHODS = SCORE_METHODS
SCORE_VARIANTS = [(m, False) for m in METHODS] + [(m, True) for m in METHODS[:2]]
FPC = 1e-6
DYADIC_UNITS = 16
# The comparisons with the slow loop are cheap and find the rare cases: run 4x the profile's count.
thorough = settings(max_examples=4 * settings().max_examples)


# --------------------------------------------------------------------------------------------
# Problem generators


@st.composite
def dyadic_problems(draw, max_n=40, max_k=5):
    """Rows are random compositions of 4, 8 or 16 units into K classes, divided by the units.

    Labels are the row argmax, or a random class for rows drawn as "flipped".
    """
    k = draw(st.integers(2, max_k))
    units = draw(st.sampled_from([4, 8, DYADIC_UNITS]))
    cut = st.lists(st.integers(0, units), min_size=k - 1, max_size=k - 1)
    n = draw(st.integers(2, max_n))
    row = st.tuples(cut, st.booleans(), st.integers(0, k - 1))
    rows = draw(st.lists(row, min_size=n, max_size=n))
    cuts = np.sort(np.array([r[0] for r in rows], dtype=np.int64).reshape(n, k - 1), axis=1)
    edges = np.hstack([np.zeros((n, 1), np.int64), cuts, np.full((n, 1), units)])
    probs = np.diff(edges, axis=1) / units
    labels = np.where([r[1] for r in rows], [r[2] for r in rows], probs.argmax(axis=1))
    labels[:2] = [0, 1]  # at least two classes; other classes may be absent
    return labels.astype(np.int64), probs


@st.composite
def smooth_problems(draw, max_n=60, max_k=6):
    """Model-like rows (Dirichlet noise plus a bump on the true class), ~0-40% flipped labels."""
    k = draw(st.integers(2, max_k))
    n = draw(st.integers(4, max_n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    true = rng.integers(0, k, n)
    bump = rng.uniform(0.0, 4.0, n)[:, None] * np.eye(k)[true]
    raw = rng.dirichlet(np.full(k, draw(st.sampled_from([0.5, 1.0, 3.0]))), n) + bump + 1e-3
    probs = raw / raw.sum(axis=1, keepdims=True)
    flip = rng.random(n) < draw(st.floats(0.0, 0.4))
    labels = np.where(flip, rng.integers(0, k, n), true)
    if k > 2 and draw(st.booleans()):
        labels[labels == k - 1] = 0  # class k-1 absent from the labels
    labels[:2] = [0, 1]
    return labels, probs


any_problems = st.one_of(dyadic_problems(), smooth_problems())


def quiet(func, *args, **kwargs):
    """Call func ignoring warnings (expected ones, e.g. an option ignored by a method)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


# --------------------------------------------------------------------------------------------
# The slow reference, written from SPEC.md with one Python loop per step


def first_argmax(row) -> int:
    best = 0
    for k in range(1, len(row)):
        if row[k] > row[best]:
            best = k
    return best


def slow_thresholds(labels, probs):
    n, k = probs.shape
    out = []
    for c in range(k):
        vals = [probs[i, c] for i in range(n) if labels[i] == c]
        out.append(max(math.fsum(vals) / len(vals) if vals else 2.0, 2 * FPC))
    return np.array(out)


def round_keep_sum(v):
    """SPEC 1.2 with stable ties. Also says whether a near-tie decided the result."""
    r = [round(x) for x in v]
    target, cur = round(sum(v)), round(sum(r))
    tie = any(abs(x - math.floor(x) - 0.5) < 1e-9 for x in v)  # round-half cases are fragile too
    while abs(cur - target) > 1e-6:
        d = round(target - cur)
        step, m = (-1 if d < 0 else 1), min(abs(d), len(v))
        resid = [v[j] - r[j] for j in range(len(v))]
        order = sorted(range(len(v)), key=lambda j: resid[j])
        if step == 1:
            order = order[::-1]
        tie = tie or (m < len(v) and abs(resid[order[m - 1]] - resid[order[m]]) < 1e-9)
        for j in order[:m]:
            r[j] += step
        cur = round(sum(r))
    return r, tie


def slow_calibrate(cj, labels):
    k = cj.shape[0]
    n = [sum(1 for y in labels if y == c) for c in range(k)]
    scaled = np.array(
        [[cj[j, c] / max(float(sum(cj[j])), 1e-100) * n[j] for c in range(k)] for j in range(k)]
    )
    # The total is summed column by column (the reference holds the joint in Fortran order);
    # the order of this float sum decides near-ties of the rounding below.
    scaled = scaled / max(np.sum(scaled.T.ravel()), 1e-100) * sum(n)
    rows = [round_keep_sum(list(scaled[j])) for j in range(k)]
    return np.array([r for r, _ in rows], dtype=np.int64), any(t for _, t in rows)


def slow_confident_joint(labels, probs, calibrate=True, thresholds=None):
    """(confident joint, off-diagonal row indices, whether a rounding tie was decisive)."""
    n, k = probs.shape
    t = slow_thresholds(labels, probs) if thresholds is None else thresholds
    cj = np.zeros((k, k), dtype=np.int64)
    off = []
    for i in range(n):
        confident = [c for c in range(k) if probs[i, c] >= t[c] - FPC]
        if not confident:
            continue  # m_i == 0: the row is dropped
        guess = confident[0] if len(confident) == 1 else first_argmax(probs[i])
        cj[labels[i], guess] += 1
        if guess != labels[i]:
            off.append(i)
    for c in range(k):
        cj[c, c] = max(cj[c, c], 1)
    if not calibrate:
        return cj, off, False
    cal, tie = slow_calibrate(cj, labels)
    return cal, off, tie


def slow_prune_counts(cj, min_examples, frac_noise):
    k = cj.shape[0]
    m = cj.T.astype(float)
    diag = [m[c, c] for c in range(k)]
    kept = [max(d, min_examples) for d in diag]
    for c in range(k):
        nonzero = max(sum(1 for j in range(k) if m[j, c] != 0) - 1, 1)
        for j in range(k):
            m[j, c] = max(m[j, c] - (kept[c] - diag[c]) / nonzero, 0.0)
        m[c, c] = kept[c]
    if frac_noise != 1.0:
        for c in range(k):
            for j in range(k):
                if j != c:
                    new = m[j, c] * frac_noise
                    m[c, c] += m[j, c] - new
                    m[j, c] = new
    return m.astype(np.int64)


def slow_guard(mask, labels, probs):
    out = np.array(mask, dtype=bool)
    for i in range(len(out)):
        row = list(probs[i])
        row[labels[i]] += FPC
        if first_argmax(row) == labels[i]:
            out[i] = False
    return out


def slow_scores(labels, probs, method="self_confidence", adjust=False):
    n, k = probs.shape
    if adjust:
        t = slow_thresholds(labels, probs)
        rows = [[probs[i, c] - t[c] + max(t) for c in range(k)] for i in range(n)]
        probs = np.array([[x / sum(r) for x in r] for r in rows])
    out = []
    for i in range(n):
        p, y = probs[i], labels[i]
        if method == "self_confidence":
            out.append(p[y])
        elif method == "normalized_margin":
            out.append((p[y] - max(p[c] for c in range(k) if c != y) + 1) / 2)
        else:
            h = -sum(x * math.log(x) for x in p if x > 0) / math.log(k)
            q = h / max(p[y], 1e-6)
            out.append(math.log(q + 1) / max(q, 1e-6))
    return np.array(out)


def slow_find_label_issues(labels, probs, filter_by, min_examples=1, frac_noise=1.0, cj=None):
    n, k = probs.shape
    own_cj, off, _ = slow_confident_joint(labels, probs)
    cj = own_cj if cj is None else cj  # a given confident joint is used as is (SPEC 5.2)
    if filter_by == "confident_learning":
        return slow_guard(np.isin(np.arange(n), off), labels, probs)
    if filter_by == "predicted_neq_given":
        return slow_guard([first_argmax(probs[i]) != labels[i] for i in range(n)], labels, probs)
    if filter_by.startswith("low_"):
        m = int(slow_find_label_issues(labels, probs, "confident_learning").sum())
        s = slow_scores(labels, probs, filter_by[4:])
        return np.isin(np.arange(n), sorted(range(n), key=lambda i: s[i])[:m])
    pc = slow_prune_counts(cj, min_examples, frac_noise)
    by_class, by_noise = np.zeros(n, bool), np.zeros(n, bool)
    for c in range(k):
        members = [i for i in range(n) if labels[i] == c]
        if len(members) <= max(min_examples, 1):
            continue
        for i in sorted(members, key=lambda i: probs[i, c])[: max(len(members) - pc[c, c], 0)]:
            by_class[i] = True
        for j in range(k):
            if j != c and pc[j, c] > 0:
                for i in sorted(members, key=lambda i: probs[i, c] - probs[i, j])[: pc[j, c]]:
                    by_noise[i] = True
    chosen = {"prune_by_class": by_class, "prune_by_noise_rate": by_noise}
    mask = chosen.get(filter_by, by_class & by_noise)
    return slow_guard(mask, labels, probs)


# --------------------------------------------------------------------------------------------
# Helpers running pdclean


def all_masks(labels, probs, **kwargs):
    return {
        f: quiet(pdfilter.find_label_issues, labels, probs, filter_by=f, **kwargs) for f in FILTERS
    }


def all_scores(labels, probs):
    return {
        (m, a): rank.get_label_quality_scores(labels, probs, method=m, adjust_pred_probs=a)
        for m, a in SCORE_VARIANTS
    }


def all_ranked(labels, probs):
    return {
        (m, a): quiet(
            pdfilter.find_label_issues,
            labels,
            probs,
            return_indices_ranked_by=m,
            rank_by_kwargs={"adjust_pred_probs": a},
        )
        for m, a in SCORE_VARIANTS
    }


# --------------------------------------------------------------------------------------------
# Properties


@given(any_problems)
def test_scores_are_in_unit_interval(problem):
    labels, probs = problem
    for (method, adjust), scores in all_scores(labels, probs).items():
        assert scores.shape == labels.shape
        assert np.all((scores >= 0.0) & (scores <= 1.0)), (method, adjust)
    # SPEC 4.1 quirk: a one-hot prediction on the given label has zero entropy, so CWE scores 0.
    cwe = rank.get_label_quality_scores(labels, probs, method="confidence_weighted_entropy")
    onehot = probs[np.arange(labels.size), labels] == 1.0
    assert np.all(cwe[onehot] == 0.0)


@thorough
@given(any_problems)
def test_confident_joint_equals_slow_loop(problem):
    labels, probs = problem
    np.testing.assert_allclose(
        count.get_confident_thresholds(labels, probs), slow_thresholds(labels, probs), 0, 1e-12
    )
    raw, raw_off, _ = slow_confident_joint(labels, probs, calibrate=False)
    got_raw, got_off = count.compute_confident_joint(
        labels, probs, calibrate=False, return_indices_of_off_diagonals=True
    )
    assert got_raw.tolist() == raw.tolist()
    assert got_off.tolist() == raw_off
    cal, _, _ = slow_confident_joint(labels, probs)
    got = count.compute_confident_joint(labels, probs)
    assert got.tolist() == cal.tolist()
    assert got.sum(axis=1).tolist() == np.bincount(labels, minlength=probs.shape[1]).tolist()
    assert got.sum() == labels.size
    assert count.calibrate_confident_joint(got, labels).tolist() == got.tolist()  # idempotent


@thorough
@given(any_problems, st.sampled_from([0, 1, 3]), st.sampled_from([1.0, 0.5]))
def test_find_label_issues_equals_slow_loop(problem, min_examples, frac_noise):
    labels, probs = problem
    kwargs = {"min_examples_per_class": min_examples}
    for filter_by, mask in all_masks(labels, probs, **kwargs).items():
        expected = slow_find_label_issues(labels, probs, filter_by, min_examples)
        assert mask.tolist() == expected.tolist(), filter_by
    for filter_by in PRUNE_FILTERS:
        got = quiet(
            pdfilter.find_label_issues, labels, probs, filter_by=filter_by, frac_noise=frac_noise
        )
        expected = slow_find_label_issues(labels, probs, filter_by, 1, frac_noise)
        assert got.tolist() == expected.tolist(), (filter_by, frac_noise)
    n_issues = count.num_label_issues(labels, probs)
    assert n_issues == slow_find_label_issues(labels, probs, "confident_learning").sum()
    cal = slow_confident_joint(labels, probs)[0]
    expected = round((1 - np.trace(cal) / cal.sum()) * labels.size)  # SPEC 3.6
    assert count.num_label_issues(labels, probs, estimation_method="off_diagonal_calibrated") == (
        expected
    )
    health = dataset.overall_label_health_score(labels, probs)
    assert health == pytest.approx(1 - n_issues / labels.size, abs=1e-12)


@thorough
@given(any_problems, st.data())
def test_user_thresholds_and_confident_joint_equal_slow_loop(problem, data):
    labels, probs = problem
    k = probs.shape[1]
    # low thresholds make rows confident in several classes (the m_i >= 2 rule), high ones in none
    thresholds = np.array(data.draw(st.lists(st.floats(0, 1), min_size=k, max_size=k)))
    for calibrate in (False, True):
        expected, off, _ = slow_confident_joint(labels, probs, calibrate, thresholds)
        got, got_off = count.compute_confident_joint(
            labels,
            probs,
            thresholds=thresholds,
            calibrate=calibrate,
            return_indices_of_off_diagonals=True,
        )
        assert got.tolist() == expected.tolist()
        assert got_off.tolist() == off
    # a user's confident joint is used as given (uncalibrated) for the prune counts
    user_cj = slow_confident_joint(labels, probs, False, thresholds)[0]
    if data.draw(st.booleans()):  # or any count matrix at all
        cells = st.lists(st.integers(0, 6), min_size=k * k, max_size=k * k)
        user_cj = np.array(data.draw(cells), dtype=np.int64).reshape(k, k)
    for min_examples in (0, 1, 2, 3):
        for filter_by in PRUNE_FILTERS:
            got = quiet(
                pdfilter.find_label_issues,
                labels,
                probs,
                filter_by=filter_by,
                confident_joint=user_cj,
                min_examples_per_class=min_examples,
            )
            expected = slow_find_label_issues(labels, probs, filter_by, min_examples, cj=user_cj)
            assert got.tolist() == expected.tolist(), (filter_by, min_examples)


@thorough
@given(any_problems)
def test_scores_and_ranking_equal_slow_loop(problem):
    labels, probs = problem
    mask = quiet(pdfilter.find_label_issues, labels, probs)
    ranked = all_ranked(labels, probs)
    for (method, adjust), scores in all_scores(labels, probs).items():
        expected = slow_scores(labels, probs, method, adjust)
        np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-12)
        # Scores can differ by rounding noise from the slow ones; rank on pdclean's scores.
        order = sorted(np.flatnonzero(mask), key=lambda i: scores[i])
        assert ranked[method, adjust].tolist() == order, (method, adjust)
        assert (
            rank.order_label_issues(
                mask, labels, probs, rank_by=method, rank_by_kwargs={"adjust_pred_probs": adjust}
            ).tolist()
            == order
        )


@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0]) | st.floats(0, 1), max_size=40),
    st.none() | st.integers(0, 50),
)
def test_find_top_issues_equals_stable_sort(scores, top):
    expected = sorted(range(len(scores)), key=lambda i: scores[i])[:top]
    assert rank.find_top_issues(np.array(scores, dtype=float), top=top).tolist() == expected


@given(any_problems, st.sampled_from(["cnt", "eqn", "marginal", "marginal_ps"]), st.booleans())
def test_latent_estimates_are_distributions(problem, py_method, converge):
    labels, probs = problem
    try:
        py, nm, inv, cj = count.estimate_py_and_noise_matrices_from_probabilities(
            labels, probs, py_method=py_method, converge_latent_estimates=converge
        )
    except np.linalg.LinAlgError:  # "eqn" inverts the noise matrix, which may be singular
        assume(False)
    assert cj.tolist() == slow_confident_joint(labels, probs)[0].tolist()
    np.testing.assert_allclose(py.sum(), 1.0, atol=1e-9)
    assert py.min() >= 0.0
    # P(given | true) and P(true | given): each column is a distribution, or all zero for a
    # class with no count (e.g. a class absent from the labels)
    for matrix, present in ((nm, cj.sum(axis=0) > 0), (inv, cj.sum(axis=1) > 0)):
        np.testing.assert_allclose(matrix.sum(axis=0), present.astype(float), atol=1e-9)
        assert matrix.min() >= 0.0


@given(smooth_problems(), st.data())
def test_row_permutation_equivariance(problem, data):
    labels, probs = problem
    perm = np.array(data.draw(st.permutations(range(labels.size))))
    lab2, probs2 = labels[perm], probs[perm]
    assert (
        count.compute_confident_joint(lab2, probs2).tolist()
        == count.compute_confident_joint(labels, probs).tolist()
    )
    _, off = count.compute_confident_joint(labels, probs, return_indices_of_off_diagonals=True)
    _, off2 = count.compute_confident_joint(lab2, probs2, return_indices_of_off_diagonals=True)
    assert sorted(perm[off2].tolist()) == off.tolist()
    masks, masks2 = all_masks(labels, probs), all_masks(lab2, probs2)
    for filter_by in FILTERS:
        assert masks2[filter_by].tolist() == masks[filter_by][perm].tolist(), filter_by
    scores, scores2 = all_scores(labels, probs), all_scores(lab2, probs2)
    for key in scores:
        np.testing.assert_allclose(scores2[key], scores[key][perm], rtol=0, atol=1e-12)
    ranked, ranked2 = all_ranked(labels, probs), all_ranked(lab2, probs2)
    for key in ranked:  # smooth problems have no tied scores: the orders map exactly
        assert perm[ranked2[key]].tolist() == ranked[key].tolist(), key


@given(smooth_problems(), st.data())
def test_class_relabelling_invariance(problem, data):
    labels, probs = problem
    k = probs.shape[1]
    sigma = np.array(data.draw(st.permutations(range(k))))
    lab2 = sigma[labels]
    probs2 = np.empty_like(probs)
    probs2[:, sigma] = probs
    # The uncalibrated joint permutes exactly; the calibrated one unless a rounding tie between
    # classes was broken by class index (then the relabelled problem may break it differently).
    raw = count.compute_confident_joint(labels, probs, calibrate=False)
    raw2 = count.compute_confident_joint(lab2, probs2, calibrate=False)
    assert raw2[np.ix_(sigma, sigma)].tolist() == raw.tolist()
    assume(not slow_confident_joint(labels, probs)[2])
    assume(not slow_confident_joint(lab2, probs2)[2])
    cj = count.compute_confident_joint(labels, probs)
    cj2 = count.compute_confident_joint(lab2, probs2)
    assert cj2[np.ix_(sigma, sigma)].tolist() == cj.tolist()
    np.testing.assert_allclose(
        count.get_confident_thresholds(lab2, probs2)[sigma],
        count.get_confident_thresholds(labels, probs),
        rtol=0,
        atol=1e-12,
    )
    masks, masks2 = all_masks(labels, probs), all_masks(lab2, probs2)
    for filter_by in FILTERS:
        assert masks2[filter_by].tolist() == masks[filter_by].tolist(), filter_by
    scores, scores2 = all_scores(labels, probs), all_scores(lab2, probs2)
    for key in scores:
        np.testing.assert_allclose(scores2[key], scores[key], rtol=0, atol=1e-12)
    ranked, ranked2 = all_ranked(labels, probs), all_ranked(lab2, probs2)
    for key in ranked:
        assert ranked2[key].tolist() == ranked[key].tolist(), key
    assert count.num_label_issues(lab2, probs2) == count.num_label_issues(labels, probs)


@given(st.lists(st.integers(0, 4), min_size=2, max_size=50), st.integers(0, 2))
def test_perfect_pred_probs_give_no_issues(labels, extra_classes):
    labels = np.array(labels)
    labels[:2] = [0, 1]
    k = int(labels.max()) + 1 + extra_classes  # extra columns: classes absent from labels
    probs = np.eye(k)[labels]
    n = labels.size
    for min_examples in (0, 1, 5):
        for filter_by, mask in all_masks(
            labels, probs, min_examples_per_class=min_examples
        ).items():
            assert not mask.any(), (filter_by, min_examples)
    assert (
        quiet(pdfilter.find_label_issues, labels, probs, return_indices_ranked_by=METHODS[0]).size
        == 0
    )
    counts = np.bincount(labels, minlength=k)
    assert count.compute_confident_joint(labels, probs).tolist() == np.diag(counts).tolist()
    for method in ("off_diagonal", "off_diagonal_calibrated"):
        assert count.num_label_issues(labels, probs, estimation_method=method) == 0
    assert dataset.overall_label_health_score(labels, probs) == 1.0
    scores = all_scores(labels, probs)
    assert scores["self_confidence", False].tolist() == [1.0] * n
    assert scores["normalized_margin", False].tolist() == [1.0] * n
    assert scores["confidence_weighted_entropy", False].tolist() == [0.0] * n  # SPEC 4.1 quirk


def everything(labels, probs):
    """Every public core output on one problem, as plain comparable values."""
    cj, off = count.compute_confident_joint(labels, probs, return_indices_of_off_diagonals=True)
    py, nm, inv, _ = count.estimate_py_and_noise_matrices_from_probabilities(labels, probs)
    out = {
        "thresholds": count.get_confident_thresholds(labels, probs),
        "cj": cj,
        "cj_raw": count.compute_confident_joint(labels, probs, calibrate=False),
        "off": off,
        "joint": count.estimate_joint(labels, probs),
        "py": py,
        "nm": nm,
        "inv": inv,
        "num": count.num_label_issues(labels, probs),
        "health": dataset.overall_label_health_score(labels, probs),
        "neq": pdfilter.find_predicted_neq_given(labels, probs),
        "argmax_cm": quiet(pdfilter.find_label_issues_using_argmax_confusion_matrix, labels, probs),
    }
    out.update({("mask", f): m for f, m in all_masks(labels, probs).items()})
    out.update({("score", *key): s for key, s in all_scores(labels, probs).items()})
    out.update({("ranked", *key): r for key, r in all_ranked(labels, probs).items()})
    return out


def assert_same(got, expected):
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        value = np.asarray(value)
        if value.dtype.kind == "f":
            np.testing.assert_allclose(got[key], value, rtol=0, atol=1e-12, err_msg=str(key))
        else:
            assert np.asarray(got[key]).tolist() == value.tolist(), key


@pytest.mark.parametrize("block_elements", [7, 64])
@pytest.mark.parametrize(("n", "k", "seed"), [(300, 3, 0), (257, 7, 1), (120, 12, 2)])
def test_results_do_not_depend_on_block_size(monkeypatch, block_elements, n, k, seed):
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    raw = rng.dirichlet(np.ones(k), n) + rng.uniform(0, 3, n)[:, None] * np.eye(k)[true]
    probs = raw / raw.sum(axis=1, keepdims=True)
    labels = np.where(rng.random(n) < 0.25, rng.integers(0, k, n), true)
    # a dyadic tail: exact ties, zeros and ones across block boundaries
    head = np.floor(probs[: n // 3] * 8) / 8
    head[np.arange(n // 3), head.argmax(axis=1)] += 1 - head.sum(axis=1)
    probs[: n // 3] = head
    expected = everything(labels, probs)
    monkeypatch.setattr(blocks, "BLOCK_ELEMENTS", block_elements)
    assert len(list(blocks.iter_blocks(n, k))) > 1  # the setting is live
    assert_same(everything(labels, probs), expected)


@thorough
@given(dyadic_problems(max_n=60), st.sampled_from([1, 7, 64]))
def test_block_size_does_not_change_results_with_ties(problem, block_elements):
    # Tied margins and probabilities straddling block and chunk boundaries: the merge of
    # per-block candidates must keep the lowest row indices, as one stable pass would.
    labels, probs = problem
    expected = everything(labels, probs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blocks, "BLOCK_ELEMENTS", block_elements)
        got = everything(labels, probs)
    assert_same(got, expected)
