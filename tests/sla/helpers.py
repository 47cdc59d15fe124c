"""Helpers shared by the SLA tests (and the dashboard browser test)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

NY = ZoneInfo("America/New_York")
# Monday 2 November 2026, 09:00 in New York: no holiday that week until Wednesday the 11th.
MONDAY_9AM = datetime(2026, 11, 2, 9, 0, tzinfo=NY)


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


class FrozenClock:
    """``django.utils.timezone.now`` for everything (services, auto_now fields) until moved."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        # In UTC, as Django's own: arithmetic on it is in real hours, not wall-clock ones.
        return self.moment.astimezone(timezone.utc)

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **delta) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment


def open_case(*, email="casey.customer@example.com", topic="track_package", body="Where is my parcel?",
              language="en", address="", channel="web", name="Casey Customer", **extra):
    from postdesk.intake.inbound import InboundMessage
    from postdesk.intake.services import ingest

    return ingest(InboundMessage(
        channel=channel, external_id=uuid.uuid4().hex, sender_email=email, sender_name=name,
        body=body, topic_slug=topic, language=language, address=address,
        tracking_numbers=("9400111899223818218407",), **extra,
    )).case


def customer_writes(case, body="Any news?", *, channel="web"):
    from postdesk.intake.inbound import InboundMessage
    from postdesk.intake.services import ingest

    return ingest(InboundMessage(
        channel=channel, external_id=uuid.uuid4().hex, sender_email=case.customer.email,
        sender_name=case.customer.name, body=body, language=case.language,
        case_number=case.number,
    ))


def bulk_cases(department, count: int, *, created_at: datetime, answered_at: datetime | None = None,
               status="new", topic=None, channel="web", language="en"):
    """``count`` cases straight into the tables (no pipeline), with clocks; answered ones get
    their first response at ``answered_at``."""
    from postdesk.cases.models import Case, Customer, Topic
    from postdesk.domain import case_numbers
    from postdesk.sla.models import CaseClock

    customer, _ = Customer.objects.get_or_create(email="bulk@example.com")
    topic = topic or Topic.objects.filter(department=department).first()
    cases = Case.objects.bulk_create([
        Case(number=case_numbers.generate(), customer=customer, topic=topic, department=department,
             subject="Bulk", status=status, channel=channel, language=language,
             first_response_at=answered_at)
        for _ in range(count)
    ])
    # created_at is auto_now_add: set it afterwards.
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(created_at=created_at)
    CaseClock.objects.bulk_create([
        CaseClock(case=case, time_zone="America/New_York", customer_time_zone="America/New_York",
                  at_risk_percent=75, started_at=created_at,
                  running_since=None if answered_at else created_at,
                  first_response_target=27 * 3600, resolution_target=90 * 3600,
                  first_responded_at=answered_at, first_response_breached=False if answered_at else None,
                  first_response_elapsed=3600 if answered_at else 0)
        for case in cases
    ])
    return cases


def race(job, *, workers: int = 2) -> list:
    """Run ``job()`` in ``workers`` threads released at the same moment; the errors they hit.

    SQLite's shared in-memory test database refuses a second writer outright ("table is
    locked") instead of waiting as a WAL file does; a worker then simply runs again, as the
    next scheduled run would. PostgreSQL waits on the row lock and never retries.
    """
    import threading
    import time

    from django.db import OperationalError, connection

    start = threading.Barrier(workers)
    errors: list = []

    def worker():
        try:
            start.wait(timeout=10)
            for _attempt in range(50):
                try:
                    job()
                    return
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.02)
            errors.append("still locked after 50 attempts")
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
