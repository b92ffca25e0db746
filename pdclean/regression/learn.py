"""CleanLearning for numeric targets (cleanlab's ``regression.learn``, SPEC R3)."""

from pdclean.learning.regression import CleanLearning

__all__ = ["CleanLearning"]
