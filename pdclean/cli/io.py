"""Files of the ``pdclean`` command line: reading and writing tables, writing reports."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pandas as pd

CSV_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": ","}
PARQUET_SUFFIXES = {".parquet", ".pq"}
_COMPRESSION = {".gz", ".bz2", ".zip", ".xz", ".zst"}


class CliError(Exception):
    """Bad input found by the command line itself (exit status 2)."""


# ------------------------------------------------------------------------------ files


def file_suffix(path: Path) -> str:
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
    kind = file_suffix(path)
    try:
        if kind in PARQUET_SUFFIXES:
            _need_parquet_engine("reading")
            return pd.read_parquet(path)
        if kind in CSV_SUFFIXES:
            return pd.read_csv(path, sep=CSV_SUFFIXES[kind])
    except (ValueError, OSError) as exc:  # ParserError, UnicodeDecodeError, ArrowInvalid...
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(
            f"cannot read {str(path)!r} as "
            f"{'Parquet' if kind in PARQUET_SUFFIXES else 'CSV'}: {reason}"
        ) from None
    raise CliError(
        f"cannot read {str(path)!r}: unsupported format {kind or '(no extension)'!r}; "
        "use CSV (.csv, .tsv, optionally compressed) or Parquet (.parquet)."
    )


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` (with its index) to CSV or Parquet, chosen by the file extension."""
    path = Path(path)
    kind = file_suffix(path)
    if kind in PARQUET_SUFFIXES:
        _need_parquet_engine("writing")
        frame.to_parquet(path)
    else:  # the extension was checked by _check_outputs
        frame.to_csv(path, sep=CSV_SUFFIXES.get(kind, ","))


def set_index(df: pd.DataFrame, column: str | None) -> pd.DataFrame:
    if column is None:
        return df.rename_axis(df.index.name or "row")
    if column not in df.columns:
        raise CliError(
            f"--index-col {column!r} is not a column of the input; columns: "
            f"{', '.join(map(repr, df.columns[:20]))}"
        )
    return df.set_index(column)


def read_pred_probs(path: str, df: pd.DataFrame, label: str | None, index_col: str | None) -> Any:
    """pred_probs from a file whose header names the classes (never matched by position)."""
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
    if label not in df.columns:
        return probs  # the resolver names the missing label column
    classes = {str(c): c for c in df[label].dropna().unique()}
    header = [str(c) for c in probs.columns]
    if sorted(header) != sorted(classes):
        shown = sorted(classes)[:20]
        raise CliError(
            f"the columns of --pred-probs {path!r} must be named after the classes of "
            f"--label {label!r} ({shown!r}); got {header[:20]!r}. Name each column after its "
            "class (columns are never matched by position, which would silently misread them)."
        )
    return probs.set_axis([classes[c] for c in header], axis=1)


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
