"""The ``pdclean`` command line: audit a CSV or Parquet table, or the built-in demo data.

::

    pdclean audit data.csv --label y [--features a,b] [--pred-probs probs.csv] [--model NAME]
                  [--cv 5] [--index-col id] [--issues-out issues.csv]
                  [--report-out report.html|.md] [--fail-under 0.8]
    pdclean demo

The report goes to stdout, progress and log messages to stderr. Exit status: 0 done, 1 the
dataset health is below ``--fail-under`` (for CI gates), 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pdclean.cli.io import (
    CSV_SUFFIXES,
    PARQUET_SUFFIXES,
    CliError,
    file_suffix,
    read_pred_probs,
    read_table,
    set_index,
    write_report,
    write_table,
)
from pdclean.errors import PdcleanError

__all__ = ["MODELS", "build_parser", "main"]

logger = logging.getLogger("pdclean.cli")

EXIT_OK, EXIT_UNHEALTHY, EXIT_BAD_INPUT = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # killed by SIGPIPE, as the shell reports it


# ------------------------------------------------------------------------------ models


def _logistic(seed: Any) -> Any:
    """Logistic regression on standardised features (unscaled, it fails to converge)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed))


def _random_forest(seed: Any) -> Any:
    from pdclean.learning.cv import default_model

    return default_model(seed)


def _hist_gradient_boosting(seed: Any) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(random_state=seed)


#: ``--model`` names and the classifier each builds (given ``--random-state``).
MODELS: dict[str, Callable[[Any], Any]] = {
    "logistic": _logistic,
    "random_forest": _random_forest,
    "hist_gradient_boosting": _hist_gradient_boosting,
}


# ------------------------------------------------------------------------------ commands


def _columns(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise CliError(f"--features {value!r} names no column; give A,B,...")
    return names


def _model(name: str | None, seed: Any) -> Any:
    return None if name is None else MODELS[name](seed)


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse unsupported output formats before any work is done."""
    checks = (
        (
            args.issues_out,
            {*CSV_SUFFIXES, *PARQUET_SUFFIXES},
            "--issues-out",
            ".csv, .tsv or .parquet",
        ),
        (args.report_out, {".html", ".htm", ".md", ".markdown"}, "--report-out", ".html or .md"),
    )
    for path, kinds, flag, hint in checks:
        if path is not None and file_suffix(Path(path)) not in kinds:
            raise CliError(
                f"{flag} {path!r}: unsupported format "
                f"{file_suffix(Path(path)) or '(no extension)'!r};"
                f" use {hint}."
            )


def _finish(audit: Any, args: argparse.Namespace) -> int:
    if args.issues_out:
        issues = audit.issues
        write_table(issues.rename_axis(issues.index.names[0] or "row"), args.issues_out)
        logger.info("wrote the per-row issues to %s", args.issues_out)
    if args.report_out:
        write_report(audit, args.report_out, args.top)
        logger.info("wrote the report to %s", args.report_out)
    sys.stdout.write(audit.report(top=args.top))
    sys.stdout.write(f"\nDataset health: {audit.health:.4f}\n")
    sys.stdout.flush()
    if args.fail_under is not None and audit.health < args.fail_under:
        print(
            f"pdclean: dataset health {audit.health:.4f} is below --fail-under {args.fail_under}",
            file=sys.stderr,
        )
        return EXIT_UNHEALTHY
    return EXIT_OK


def _run_audit(args: argparse.Namespace) -> int:
    from pdclean.frame.audit import audit

    _check_outputs(args)
    df = set_index(read_table(args.path), args.index_col)
    logger.info("read %d rows x %d columns from %s", df.shape[0], df.shape[1], args.path)
    probs = (
        None
        if args.pred_probs is None
        else read_pred_probs(args.pred_probs, df, args.label, args.index_col)
    )
    result = audit(
        df,
        args.label,
        features=_columns(args.features),
        pred_probs=probs,
        model=_model(args.model, args.random_state),
        cv=args.cv,
        random_state=args.random_state,
        progress=args.progress,
        neighbors=args.neighbors,
    )
    return _finish(result, args)


def _run_demo(args: argparse.Namespace) -> int:
    """The tutorial's workflow 1: its model and its 3-fold ``cross_val_predict`` pred_probs."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from pdclean.datasets import load_tutorial
    from pdclean.frame.audit import audit

    _check_outputs(args)
    train = load_tutorial()[0][["x1", "x2", "label"]]
    model = (
        LogisticRegression(random_state=args.random_state)
        if args.model is None
        else MODELS[args.model](args.random_state)
    )
    logger.info(
        "demo: the tutorial's 250 training rows; pred_probs of %r by %d-fold cross_val_predict",
        model,
        args.cv,
    )
    X, y = train[["x1", "x2"]].to_numpy(), train["label"].cat.codes.to_numpy()
    probs = cross_val_predict(model, X, y, cv=args.cv, method="predict_proba")
    result = audit(train, "label", pred_probs=probs, progress=args.progress)
    return _finish(result, args)


# ------------------------------------------------------------------------------ parser


def _health(value: str) -> float:
    try:
        health = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {value!r}") from None
    if not 0.0 <= health <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {value!r}")
    return health


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value!r}")
    return number


def _folds(value: str) -> int:
    try:
        folds = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 2, got {value!r}") from None
    if folds < 2:
        raise argparse.ArgumentTypeError(f"expected an integer >= 2, got {value!r}")
    return folds


def _output_options(parser: argparse.ArgumentParser, default_cv: int) -> None:
    parser.add_argument(
        "--model",
        choices=sorted(MODELS),
        help="classifier for the cross-validated pred_probs (default: a random forest; "
        "demo: the tutorial's LogisticRegression)",
    )
    parser.add_argument(
        "--cv",
        type=_folds,
        default=default_cv,
        metavar="N",
        help=f"cross-validation folds (default: {default_cv})",
    )
    parser.add_argument(
        "--random-state",
        type=int,
        default=0,
        metavar="SEED",
        help="seed of the folds and of the model (default: 0)",
    )
    parser.add_argument(
        "--issues-out",
        metavar="PATH",
        help="write one row per input row (is_<type>_issue, <type>_score) to .csv/.parquet",
    )
    parser.add_argument(
        "--report-out", metavar="PATH", help="write the report to PATH.html or PATH.md"
    )
    parser.add_argument(
        "--fail-under",
        type=_health,
        metavar="HEALTH",
        help="exit with status 1 when the dataset health is below HEALTH (in [0, 1])",
    )
    parser.add_argument(
        "--top",
        type=_positive,
        default=5,
        metavar="N",
        help="most severe rows shown per issue type (default: 5)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress or log messages on stderr"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="more log messages on stderr")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``pdclean``.

    Examples
    --------
    >>> args = build_parser().parse_args(["audit", "data.csv", "--label", "y", "--cv", "3"])
    >>> args.path, args.label, args.cv, args.model
    ('data.csv', 'y', 3, None)
    """
    from pdclean import __version__

    parser = argparse.ArgumentParser(
        prog="pdclean",
        description="Find label errors, outliers, duplicates and other issues in a "
        "classification table.",
        epilog="Exit status: 0 done, 1 health below --fail-under, 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"pdclean {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    audit = commands.add_parser(
        "audit",
        help="audit a CSV or Parquet file",
        description="Audit a table: label issues, outliers, near and exact duplicates, "
        "non-iid order, class imbalance, underperforming groups, missing values.",
    )
    audit.add_argument("path", metavar="PATH", help="input table (.csv, .tsv, .parquet)")
    audit.add_argument(
        "--label", metavar="COL", help="label column (omit to audit the features only)"
    )
    audit.add_argument(
        "--features",
        metavar="A,B,...",
        help="feature columns, comma-separated (default: every column but the label)",
    )
    audit.add_argument(
        "--pred-probs",
        metavar="PATH",
        help="out-of-sample predicted probabilities, one column per class, the header naming "
        "the classes; default: computed by cross-validation",
    )
    audit.add_argument("--index-col", metavar="COL", help="column holding the row ids")
    audit.add_argument(
        "--neighbors",
        choices=("exact", "approximate"),
        default="exact",
        help="neighbour graph of the kNN checks: exact (default), or approximate for large "
        "embedding tables (needs the 'approximate' extra)",
    )

    _output_options(audit, default_cv=5)
    audit.set_defaults(handler=_run_audit)
    demo = commands.add_parser(
        "demo",
        help="audit the built-in tutorial data",
        description="Audit the tutorial's 250 training rows (4 classes, 2 features).",
    )
    _output_options(demo, default_cv=3)
    demo.set_defaults(handler=_run_demo)
    return parser


def _configure_logging(args: argparse.Namespace) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("pdclean: %(message)s"))
    root = logging.getLogger("pdclean")
    handler.previous_level = root.level  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(
        logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    )
    return handler


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``pdclean`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = main(["demo", "--quiet"])
    >>> status, out.getvalue().splitlines()[-1]
    (0, 'Dataset health: 0.5256')
    """
    args = build_parser().parse_args(argv)
    args.progress = not args.quiet and sys.stderr.isatty()
    handler = _configure_logging(args)
    try:
        with warnings.catch_warnings():
            if args.quiet:  # -q: the model's own warnings (e.g. convergence) are not shown either
                warnings.simplefilter("ignore")
            return args.handler(args)
    except BrokenPipeError:  # e.g. `pdclean demo | head`: stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (CliError, PdcleanError, ValueError, OSError) as exc:
        print(f"pdclean: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        root = logging.getLogger("pdclean")
        root.removeHandler(handler)
        root.setLevel(handler.previous_level)  # type: ignore[attr-defined]
