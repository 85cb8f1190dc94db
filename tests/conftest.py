"""Shared pytest configuration: one Hypothesis profile for every property test."""

import os

from hypothesis import HealthCheck, settings

# Derandomised under CI so a red build can always be replayed; locally each run explores anew.
settings.register_profile(
    "default",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CI") == "true",
    database=None,
)
settings.load_profile("default")
