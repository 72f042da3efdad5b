import os

from hypothesis import HealthCheck, settings

# The fuzz tests run in every CI pass (SQLite, then PostgreSQL): a fixed, bounded number of examples
# in CI (derandomised, so both passes try the same inputs and a failure reproduces); more with
# HYPOTHESIS_PROFILE=thorough when hunting.
_common = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("dev", max_examples=30, **_common)
settings.register_profile("ci", max_examples=20, derandomize=True, database=None, **_common)
settings.register_profile("thorough", max_examples=1000, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
