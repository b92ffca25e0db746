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
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pdclean._exceptions import PdcleanError

__all__ = ["MODELS", "build_parser", "main"]

logger = logging.getLogger("pdclean.cli")

EXIT_OK, EXIT_UNHEALTHY, EXIT_BAD_INPUT = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # killed by SIGPIPE, as the shell reports it
_CSV = {".csv": ",", ".tsv": "\t", ".txt": ","}
_PARQUET = {".parquet", ".pq"}
_COMPRESSION = {".gz", ".bz2", ".zip", ".xz", ".zst"}


class CliError(Exception):
    """Bad input found by the command line itself (exit status 2)."""


# ------------------------------------------------------------------------------ models


def _logistic(seed: Any) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000, random_state=seed)


def _random_forest(seed: Any) -> Any:
    from pdclean._cv import default_model

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


# ------------------------------------------------------------------------------ files


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] in _COMPRESSION:
        return suffixes[-2]
    return suffixes[-1] if suffixes else ""


def _need_parquet_engine(what: str) -> None:
    if importlib.util.find_spec("pyarrow") is None:
        raise CliError(
            f"{what} Parquet needs pyarrow, which is not installed: "
            "pip install 'pdclean[parquet]' (or use CSV)."
        )


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (``.csv``, ``.tsv``, compressed too) or Parquet file; CliError if it can't."""
    path = Path(path)
    if not path.exists():
        raise CliError(f"file not found: {str(path)!r}")
    if path.is_dir():
        raise CliError(f"{str(path)!r} is a directory; give a CSV or Parquet file.")
    kind = _suffix(path)
    try:
        if kind in _PARQUET:
            _need_parquet_engine("reading")
            return pd.read_parquet(path)
        if kind in _CSV:
            return pd.read_csv(path, sep=_CSV[kind])
    except (ValueError, OSError) as exc:  # ParserError, UnicodeDecodeError, ArrowInvalid...
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(
            f"cannot read {str(path)!r} as {'Parquet' if kind in _PARQUET else 'CSV'}: {reason}"
        ) from None
    raise CliError(
        f"cannot read {str(path)!r}: unsupported format {kind or '(no extension)'!r}; "
        "use CSV (.csv, .tsv, optionally compressed) or Parquet (.parquet)."
    )


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` (with its index) to CSV or Parquet, chosen by the file extension."""
    path = Path(path)
    kind = _suffix(path)
    if kind in _PARQUET:
        _need_parquet_engine("writing")
        frame.to_parquet(path)
    else:  # the extension was checked by _check_outputs
        frame.to_csv(path, sep=_CSV.get(kind, ","))


def _set_index(df: pd.DataFrame, column: str | None) -> pd.DataFrame:
    if column is None:
        return df.rename_axis(df.index.name or "row")
    if column not in df.columns:
        raise CliError(
            f"--index-col {column!r} is not a column of the input; columns: "
            f"{', '.join(map(repr, df.columns[:20]))}"
        )
    return df.set_index(column)


def _pred_probs(path: str, df: pd.DataFrame, label: str | None, index_col: str | None) -> Any:
    """pred_probs from a file: named by class when the header gives the classes, else by order."""
    if label is None:
        raise CliError("--pred-probs needs --label (the columns of pred_probs follow its classes)")
    probs = read_table(path)
    if index_col is not None and index_col in probs.columns:
        probs = probs.set_index(index_col)
    elif len(probs) == len(df):
        probs = probs.set_axis(df.index)
    else:
        raise CliError(
            f"--pred-probs {path!r} has {len(probs)} rows but the input has {len(df)}; "
            "give one row per input row (or an index column named like --index-col)."
        )
    if label in df.columns:
        classes = {str(c): c for c in df[label].dropna().unique()}
        if all(str(c) in classes for c in probs.columns):
            return probs.set_axis([classes[str(c)] for c in probs.columns], axis=1)
    return probs.to_numpy()


# ------------------------------------------------------------------------------ reports


def _markdown(audit: Any, top: int) -> str:
    rows = [
        f"| {t} | {n} | {s:.4f} |" for t, n, s in audit.summary.itertuples(index=False, name=None)
    ]
    table = ["| issue type | issues | score |", "| --- | ---: | ---: |", *rows]
    skipped = [f"- {name} skipped: {why}" for name, why in audit.skipped.items()]
    parts = [
        "# pdclean audit",
        "",
        f"{audit.run.n} rows, dataset health **{audit.health:.4f}**.",
        "",
        *table,
        "",
        *([*skipped, ""] if skipped else []),
        "```text",
        audit.report(top=top).rstrip(),
        "```",
        "",
    ]
    return "\n".join(parts)


def write_report(audit: Any, path: str | Path, top: int) -> None:
    """Write the audit report as a self-contained HTML page or as Markdown."""
    path = Path(path)
    kind = path.suffix.lower()
    if kind in {".html", ".htm"}:
        audit.to_html(path, top=top)
    else:  # .md, checked by _check_outputs
        path.write_text(_markdown(audit, top), encoding="utf-8")


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
        (args.issues_out, {*_CSV, *_PARQUET}, "--issues-out", ".csv, .tsv or .parquet"),
        (args.report_out, {".html", ".htm", ".md", ".markdown"}, "--report-out", ".html or .md"),
    )
    for path, kinds, flag, hint in checks:
        if path is not None and _suffix(Path(path)) not in kinds:
            raise CliError(
                f"{flag} {path!r}: unsupported format {_suffix(Path(path)) or '(no extension)'!r};"
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
    from pdclean._frame_audit import audit

    _check_outputs(args)
    df = _set_index(read_table(args.path), args.index_col)
    logger.info("read %d rows x %d columns from %s", df.shape[0], df.shape[1], args.path)
    probs = (
        None
        if args.pred_probs is None
        else _pred_probs(args.pred_probs, df, args.label, args.index_col)
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
    )
    return _finish(result, args)


def _run_demo(args: argparse.Namespace) -> int:
    """The tutorial's workflow 1: its model and its 3-fold ``cross_val_predict`` pred_probs."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from pdclean._frame_audit import audit
    from pdclean.datasets import load_tutorial

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
        type=int,
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
        help="out-of-sample predicted probabilities, one column per class (header: class "
        "names, or classes in sorted order); default: computed by cross-validation",
    )
    audit.add_argument("--index-col", metavar="COL", help="column holding the row ids")
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
