"""Delay from a web-form submit to its confirmation email arriving at an SMTP server on 127.0.0.1.

Two parts:

* ``sink`` (a subprocess started by run.py): an aiosmtpd server on 127.0.0.1 that accepts every
  message and appends one JSON line per message to a file: arrival wall-clock time, the
  ``X-Postdesk-Case`` header, Message-ID, envelope recipients, Subject. Bodies are not kept.

      python bench/email_delay.py sink --port 8025 --out /tmp/arrivals.jsonl

* paced submissions (called by run.py): each one GETs the form, POSTs it (the submit time is
  taken just before the POST is sent), then GETs the success page and reads the case number
  from it. Arrivals are matched to submissions by the case number in ``X-Postdesk-Case``, and
  the subject must carry ``[Case <number>]``.

  - "steady": N submissions at a fixed rate (default 200 at 20/s), the issue's measurement;
  - "sparse": a few submissions after growing idle gaps, because a real desk is idle most of
    the time and a polling job queue backs off while idle.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import threading
import time
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

import httpx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from web_submit import CASE_NUMBER_RE, latency_summary, submit_once, unique_email  # noqa: E402


# --------------------------------------------------------------------------------------------
# SMTP sink
# --------------------------------------------------------------------------------------------

class RecordingHandler:
    def __init__(self, out_path: str):
        self._out = open(out_path, "a", encoding="utf-8", buffering=1)
        self._lock = threading.Lock()
        self._parser = BytesHeaderParser(policy=default_policy)

    async def handle_DATA(self, server, session, envelope):
        arrived = time.time()
        headers = self._parser.parsebytes(envelope.original_content or envelope.content)
        record = {
            "t": arrived,
            "case": str(headers.get("X-Postdesk-Case", "")),
            "message_id": str(headers.get("Message-ID", "")),
            "rcpt": [r.lower() for r in envelope.rcpt_tos],
            "subject": str(headers.get("Subject", "")),
            "bytes": len(envelope.original_content or envelope.content or b""),
        }
        with self._lock:
            self._out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def run_sink(port: int, out_path: str) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(RecordingHandler(out_path), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"READY {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    controller.stop()


def read_arrivals(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.endswith("\n"):  # a half-written last line is read on the next poll
                records.append(json.loads(line))
    return records


def wait_for_arrivals(path: str, *, expected: int, key, timeout: float) -> tuple[list[dict], float]:
    """Poll the sink's file until ``expected`` distinct keys arrived or the timeout passed."""
    start = time.monotonic()
    while True:
        records = read_arrivals(path)
        if len({key(r) for r in records}) >= expected or time.monotonic() - start > timeout:
            return records, time.monotonic() - start
        time.sleep(0.2)


# --------------------------------------------------------------------------------------------
# Paced submissions
# --------------------------------------------------------------------------------------------

async def _submit_and_read_case(base: str, sample: dict, email: str) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=60.0, follow_redirects=False) as client:
        result = await submit_once(client, base, sample, email)
        page = await client.get(result["location"])
        found = CASE_NUMBER_RE.search(page.text)
        if page.status_code != 200 or not found:
            raise RuntimeError(f"success page {page.status_code} without a case number")
        return {"case": found.group(1).strip(), "email": email.lower(),
                "wall_submit": result["wall_submit"], "wall_answer": result["wall_answer"],
                "post_ms": 1000 * result["post_s"]}


async def paced_submissions(base: str, pool: list[dict], *, tag: str, gaps: list[float]) -> tuple[list, dict]:
    """One submission after each gap (seconds from the previous start), each in its own task so
    a slow answer never delays the next start. Returns (submissions, errors)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks, due = [], 0.0
    for index, gap in enumerate(gaps):
        due += gap
        delay = start + due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        sample = pool[(index * 7919) % len(pool)]
        tasks.append(asyncio.create_task(
            _submit_and_read_case(base, sample, unique_email(sample, f"{tag}n{index}"))))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    submissions, errors = [], {}
    for result in results:
        if isinstance(result, Exception):
            key = (str(result) or type(result).__name__)[:160]
            errors[key] = errors.get(key, 0) + 1
        else:
            submissions.append(result)
    return submissions, errors


def match_by_case(submissions: list[dict], arrivals: list[dict]) -> dict:
    """Delays per case number; also checks each email's subject tag and counts duplicates."""
    first_arrival: dict[str, dict] = {}
    duplicates = 0
    for record in arrivals:
        if record["case"] in first_arrival:
            duplicates += 1
        else:
            first_arrival[record["case"]] = record
    from_submit, from_answer, missing, bad_subject = [], [], [], 0
    for sub in submissions:
        record = first_arrival.get(sub["case"])
        if record is None:
            missing.append(sub["case"])
            continue
        if f"[Case {sub['case']}]" not in record["subject"] or sub["email"] not in record["rcpt"]:
            bad_subject += 1
        from_submit.append(record["t"] - sub["wall_submit"])
        from_answer.append(record["t"] - sub["wall_answer"])
    return {
        "submitted": len(submissions), "delivered": len(from_submit), "missing": len(missing),
        "missing_cases": missing[:20], "duplicate_deliveries": duplicates,
        "wrong_subject_or_recipient": bad_subject,
        "delay_from_submit": latency_summary(from_submit),
        "delay_from_post_answer": latency_summary(from_answer),
    }


def match_by_recipient(submitted: dict, arrivals: list[dict]) -> dict:
    """Delays for the load phases: every load submission has a unique address.
    ``submitted`` maps address -> (wall clock of the POST, inside the measured window?)."""
    arrival_by_rcpt: dict[str, float] = {}
    for record in arrivals:
        for rcpt in record["rcpt"]:
            arrival_by_rcpt.setdefault(rcpt, record["t"])
    window_delays, missing_all = [], 0
    for address, (wall_submit, in_window) in submitted.items():
        arrived = arrival_by_rcpt.get(address)
        if arrived is None:
            missing_all += 1
        elif in_window:
            window_delays.append(arrived - wall_submit)
    return {"submitted_all": len(submitted), "delivered_all": len(submitted) - missing_all,
            "missing_all": missing_all,
            "window_delay_from_submit": latency_summary(window_delays)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sink = sub.add_parser("sink", help="run the recording SMTP server on 127.0.0.1")
    sink.add_argument("--port", type=int, required=True)
    sink.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "sink":
        run_sink(args.port, args.out)


if __name__ == "__main__":
    main()
