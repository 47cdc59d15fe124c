"""Customer accounts: how alike the sign-in answer is for known and unknown addresses, and what
an export and an erasure cost for a customer with many cases. In-process (Django's test client,
full middleware stack), on a fresh SQLite or PostgreSQL database.

    .venv/bin/python bench/accounts.py --db sqlite --count 300 --cases 200
    .venv/bin/python bench/accounts.py --db postgres

1. Sign-in POSTs, known and unknown addresses interleaved: wall ms p50/p95, SQL queries per
   request. A known address does two inserts more (the link and the outbox row, plus the job
   enqueue); the email itself is sent by the worker, never inside the request.
2. The export ZIP of a customer with ``--cases`` cases (3 messages each, one attachment per
   case), and then the erasure of that customer: wall seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from profile_post import setup  # noqa: E402  (same fresh-database set-up as the POST profile)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=300, help="sign-in POSTs per kind of address")
    parser.add_argument("--cases", type=int, default=200, help="cases of the exported/erased customer")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postdesk_bench_accounts")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    os.environ.update({"POSTDESK_SIGNIN_RATE_LIMIT_PER_ADDRESS": "1000000",
                       "POSTDESK_SIGNIN_RATE_LIMIT_PER_IP": "1000000"})
    setup(args.db, args.pg_url, args.redis_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from postdesk.cases.services import case_reply
    from postdesk.customers.erasure import customer_erase
    from postdesk.customers.export import build_export
    from postdesk.intake.inbound import InboundAttachment, InboundMessage
    from postdesk.intake.services import ingest

    def open_case(email: str, index: int):
        return ingest(InboundMessage(
            channel="web", external_id=uuid.uuid4().hex, sender_email=email, sender_name="Bench Customer",
            body=f"Parcel {index} has not arrived; it was sent on Monday.", topic_slug="general",
            attachments=(InboundAttachment(filename=f"label-{index}.png",
                                           content=b"\x89PNG\r\n\x1a\n" + os.urandom(20_000),
                                           content_type="image/png"),),
        )).case

    for index in range(50):
        open_case(f"known{index}@example.com", index)

    client = Client()
    client.get("/account/sign-in/")
    timings = {"known": [], "unknown": []}
    queries = {"known": [], "unknown": []}
    for index in range(args.count):
        for kind in ("known", "unknown"):
            email = f"{kind}{index % 50}@example.com"
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post("/account/sign-in/", {"email": email})
                timings[kind].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
            queries[kind].append(len(captured.captured_queries))
    print(f"database: {args.db}")
    print(f"sign-in POST, {args.count} each, interleaved:")
    for kind in ("known", "unknown"):
        values = timings[kind][10:]  # the first few warm caches
        print(f"  {kind:8s} p50 {statistics.median(values):6.2f} ms  p95 {percentile(values, 0.95):6.2f} ms"
              f"  queries {statistics.median(queries[kind]):.0f}")

    from django.contrib.auth import get_user_model

    from postdesk.accounts.models import AgentProfile

    supervisor = get_user_model().objects.create_user(username="bench-supervisor", password="x" * 12)
    AgentProfile.objects.create(user=supervisor, role="supervisor")
    email = "many.cases@example.com"
    started = time.perf_counter()
    cases = [open_case(email, index) for index in range(args.cases)]
    for case in cases:
        case_reply(case=case, agent=supervisor, body="We have asked the depot.")
        ingest(InboundMessage(channel="web", external_id=uuid.uuid4().hex, sender_email=email,
                              body="Thank you, still waiting.", case_number=case.number))
    print(f"customer with {args.cases} cases, 3 messages and 1 attachment each "
          f"(made in {time.perf_counter() - started:.1f} s):")
    customer = cases[0].customer
    started = time.perf_counter()
    archive = build_export(customer, support_name="Bench")
    archive.seek(0, os.SEEK_END)
    print(f"  export ZIP   {time.perf_counter() - started:6.2f} s  ({archive.tell() / 1e6:.1f} MB)")
    started = time.perf_counter()
    steps = customer_erase(customer=customer, actor=supervisor)
    print(f"  erasure      {time.perf_counter() - started:6.2f} s  (messages {steps['messages']}, "
          f"attachments {steps['attachments']}, events {steps['event_data']})")


if __name__ == "__main__":
    main()
