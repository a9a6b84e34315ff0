"""Settings of the benchmark's server: the production settings, read from
the environment like any deployment, plus the benchmark's URLconf (the app's
URLs and a bare view beside them).

Only `make bench` names this module (DJANGO_SETTINGS_MODULE=bench.settings);
a deployment uses config.settings, which never mounts the bare view.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The benchmark collects static files into a directory of its own.
if os.environ.get("FIELDBOOK_BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["FIELDBOOK_BENCH_STATIC_ROOT"])

# Every request of the load generator comes from one address: the booking
# page's per-address limit would refuse all but the first few bookings.
FIELDBOOK_BOOKING_PAGE_POSTS_PER_HOUR = 10**9
