"""The frame layer: the one input resolver, feature matrices, and the frame functions.

Every face (the accessor, the audit, noise injection, Dask, the command line) turns a table and
its label column into checked arrays here, then calls the checks and the numpy core below.
"""
