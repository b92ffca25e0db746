"""Learning: cross-validated predictions and the estimators that train on the rows they trust."""
