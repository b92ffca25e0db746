"""The command line: `pdclean audit` on a CSV or Parquet file, `pdclean demo` on built-in data."""
