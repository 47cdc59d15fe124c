"""Background jobs of the cases app: they call one function."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from postdesk.cases import queue_counts


@db_task()
def refresh_queue_counts() -> int:
    """Recompute the console's open-case counts (``cases.queue_counts``); returns how many
    departments have open cases."""
    return len(queue_counts.refresh().departments)
