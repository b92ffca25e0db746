"""The label-error detection benchmark (see README.md in this folder)."""
