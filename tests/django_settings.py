"""Settings for the test suite: the real settings, with jobs run inline and a private var/."""

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("POSTDESK_VAR_DIR", str(_ROOT / "var" / "test"))
os.environ.setdefault("HUEY_IMMEDIATE", "1")
# Each test run counts its own metrics: runs side by side must not add to each other's counters.
if "POSTDESK_METRICS_DIR" not in os.environ:
    import atexit
    import shutil

    os.environ["POSTDESK_METRICS_DIR"] = str(_ROOT / "var" / "test" / f"metrics-{os.getpid()}")
    atexit.register(shutil.rmtree, os.environ["POSTDESK_METRICS_DIR"], True)
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("POSTDESK_BASE_URL", "http://testserver")

from postdesk.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One cache per test process: concurrent runs on one machine must not share rate-limit counters.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tests read the console's counts right after changing cases: count in every view. The shared,
# worker-refreshed counts are tested on their own (tests/console/test_queue_counts.py).
POSTDESK_QUEUE_COUNTS_MAX_AGE = 0
