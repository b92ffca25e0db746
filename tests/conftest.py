import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Two cores, several BLAS threads per process: oversubscription makes small fits and block
# products an order of magnitude slower. Tests measure answers, not parallelism.
from threadpoolctl import threadpool_limits  # noqa: E402  (after the profiles, on purpose)

threadpool_limits(1)
