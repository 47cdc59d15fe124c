"""Jobs the worker tests race for. Each run appends one line to a file (O_APPEND writes of a
short line are atomic), so the test counts runs across processes without a database of its own."""

from __future__ import annotations

import os
import time

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


def _append(line: str) -> None:
    descriptor = os.open(os.environ["POSTDESK_TEST_RUN_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(descriptor, (line + "\n").encode())
    finally:
        os.close(descriptor)


@db_task()
def record_run(marker: str) -> None:
    _append(f"job {marker} {os.getpid()}")
    time.sleep(0.3)  # keep the job busy while the other worker is free to take a copy


@db_periodic_task(crontab(minute="*"), context=True)
def record_periodic_run(task=None) -> None:
    _append(f"periodic {task.id} {os.getpid()}")
