"""Settings of the real ``postdesk worker`` processes the job tests start: the product's settings
plus the test jobs. Jobs are queued, not run inline."""

from postdesk.config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.ops.jobapp"]  # noqa: F405
