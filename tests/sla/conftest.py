"""SLA test fixtures: a clock the whole pipeline reads (``timezone.now``), triage's merging of
same-matter messages off, and the defaults put back after transactional tests. Helpers that
open cases are in ``tests/sla/helpers.py``."""

from __future__ import annotations

import pytest

from tests.sla.helpers import MONDAY_9AM, FrozenClock


@pytest.fixture
def frozen(monkeypatch):
    from django.utils import timezone as django_timezone

    clock = FrozenClock(MONDAY_9AM)
    monkeypatch.setattr(django_timezone, "now", clock)
    return clock


@pytest.fixture(autouse=True)
def _no_triage_merging(monkeypatch):
    """These tests open several cases for one customer and one parcel on purpose: each must
    be its own case, whatever triage's same-matter rule would do with them."""
    from postdesk.triage import hooks

    monkeypatch.setattr(hooks, "same_matter", lambda inbound, customer: (None, ""))


@pytest.fixture
def _defaults_back_after_flush(django_db_blocker):
    """The flush after a transactional test empties every table, the departments and topics
    of the data migration included; put them back for whichever test runs next."""
    yield
    from postdesk.cases import defaults

    with django_db_blocker.unblock():
        defaults.install()
