"""Label quality scores of a numeric target (cleanlab's ``regression.rank``, SPEC R1)."""

from pdclean.core.regression.scores import RegressionScoreMethod, get_label_quality_scores

__all__ = ["RegressionScoreMethod", "get_label_quality_scores"]
