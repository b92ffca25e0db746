"""Numeric targets (regression): validation, label quality scores, CleanLearning, a detector.

numpy, SciPy and scikit-learn only (never pandas); arrays in, arrays out. The modules:

* ``scores``: cleanlab-compatible ``outre`` / ``residual`` label quality scores;
* ``issues`` (with ``crossval``): cleanlab-compatible CleanLearning search (mask, quality,
  out-of-fold predictions, excluded fraction), drawing from a local ``RandomState``;
* ``detect``: pdclean's detector of entry errors and outliers (log/linear robust z with a local
  scale; mask, score, suggested value);
* ``validation``: the input checks they share.

Nothing is imported here, so that the frame face can load the detector without scikit-learn.
"""
