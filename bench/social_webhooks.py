"""Social webhooks: how long X's signed event POSTs and CRC challenges take to answer.

    .venv/bin/python bench/social_webhooks.py                         # SQLite, 600 messages
    .venv/bin/python bench/social_webhooks.py --messages 2000 --conversations 400
    .venv/bin/python bench/social_webhooks.py --db postgres://postgres@127.0.0.1:5432/pd_bench_social

X marks a webhook invalid when a CRC answer takes longer than 3 seconds, and Meta retries slow
deliveries, so the figure that matters is the time to answer one request. In one Django process
(the full middleware stack through Django's test client, no network), on a fresh database:

0. one untimed warm-up message (the triage model loads, as in a web process before serving);
1. CRC challenges (HMAC of the token);
2. signed direct messages: the first of each conversation opens a case (triage, SLA clock),
   the rest join it; each one is signature-checked, parsed and ingested before the 200;
3. the same deliveries again, as the platform's retries: answered from the receipts.

Latency p50/p95/p99/max per kind and requests/s; results in
bench/results/social-webhooks-<stamp>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS = REPO_DIR / "bench" / "results"
SECRET = "bench-consumer-secret"
ACCOUNT = "3001"
TEXTS = [
    "My parcel {n} has not moved since Monday, can you check?",
    "Tracking says delivered but nothing is here. Number {n}.",
    "Mein Paket {n} ist seit einer Woche unterwegs.",
    "Mi paquete {n} no ha llegado todavía.",
]


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {"n": len(values), "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "max_ms": round(ordered[-1] * 1000, 2), "mean_ms": round(statistics.fmean(values) * 1000, 2),
            "per_second": round(len(values) / sum(values), 1)}


def run(messages: int, conversations: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from postdesk.cases.models import Case, Message
    from postdesk.domain.social import x_signature

    call_command("migrate", verbosity=0)
    client = Client()
    results: dict = {}

    client.get("/channels/x/webhook", {"crc_token": "warm-up"})  # first request: lazy imports
    timings = []
    for n in range(200):
        start = time.perf_counter()
        response = client.get("/channels/x/webhook", {"crc_token": f"token-{n}"})
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    results["crc"] = _percentiles(timings)

    bodies = []
    for n in range(messages):
        sender = str(10_000 + n % conversations)
        payload = {"for_user_id": ACCOUNT, "direct_message_events": [{
            "type": "message_create", "id": f"17900000{n:010d}", "created_timestamp": "1795000000000",
            "message_create": {"target": {"recipient_id": ACCOUNT}, "sender_id": sender,
                               "message_data": {"text": TEXTS[n % len(TEXTS)].format(n=9400111899223818218407)}}}],
            "users": {sender: {"id": sender, "name": f"Customer {sender}", "screen_name": f"c{sender}"}}}
        bodies.append(json.dumps(payload).encode())

    def post(body: bytes):
        start = time.perf_counter()
        response = client.post("/channels/x/webhook", data=body, content_type="application/json",
                               HTTP_X_TWITTER_WEBHOOKS_SIGNATURE=x_signature(SECRET, body))
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.content
        return elapsed, response.json()["messages"][0]

    # Warm-up, not timed: the first case loads (or, in a fresh var dir, trains) the triage model,
    # which a web process does before serving.
    warm = json.dumps({"for_user_id": ACCOUNT, "direct_message_events": [{
        "type": "message_create", "id": "warm-up", "message_create": {
            "sender_id": "1", "message_data": {"text": "warm-up parcel question"}}}]}).encode()
    post(warm)

    new_case, follow_up = [], []
    for body in bodies:
        elapsed, outcome = post(body)
        (follow_up if len(new_case) >= conversations else new_case).append(elapsed)
    results["dm_new_case"] = _percentiles(new_case)
    results["dm_follow_up"] = _percentiles(follow_up) if follow_up else None
    retries = [post(body)[0] for body in bodies[: min(len(bodies), 300)]]
    results["dm_retry_duplicate"] = _percentiles(retries)
    results["cases"] = Case.objects.count() - 1
    results["messages"] = Message.objects.count() - 1
    assert results["cases"] == conversations and results["messages"] == messages
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--conversations", type=int, default=150)
    parser.add_argument("--db", default="", help="DATABASE_URL (default: a fresh SQLite file)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.messages, args.conversations)))
        return
    with tempfile.TemporaryDirectory(prefix="pd-bench-social-") as var_dir:
        env = {**os.environ, "POSTDESK_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "postdesk.config.settings",
               "POSTDESK_X_CONSUMER_SECRET": SECRET, "HUEY_IMMEDIATE": "1", "LOG_LEVEL": "WARNING",
               "SECRET_KEY": "bench-only-secret-key-0123456789-0123456789"}
        if args.db:
            env["DATABASE_URL"] = args.db
            if args.db.startswith("postgres"):
                name = args.db.rsplit("/", 1)[1]
                subprocess.run(["psql", args.db.rsplit("/", 1)[0] + "/postgres", "-qc",
                                f'DROP DATABASE IF EXISTS "{name}"'], check=True, env=env)
                subprocess.run(["psql", args.db.rsplit("/", 1)[0] + "/postgres", "-qc",
                                f'CREATE DATABASE "{name}"'], check=True, env=env)
        load = os.getloadavg()
        child = subprocess.run([sys.executable, __file__, "--child", "--messages", str(args.messages),
                                "--conversations", str(args.conversations)],
                               env=env, capture_output=True, text=True, cwd=REPO_DIR)
        if child.returncode != 0:
            sys.exit(child.stderr[-4000:])
        results = json.loads(child.stdout.strip().splitlines()[-1])
    results.update({"database": "postgresql" if args.db.startswith("postgres") else "sqlite",
                    "load_average_before": [round(x, 2) for x in load], "cpus": os.cpu_count(),
                    "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                             text=True, cwd=REPO_DIR).stdout.strip()})
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"social-webhooks-{stamp}.json").write_text(json.dumps(results, indent=2))
    lines = [f"# Social webhooks ({results['database']}, {stamp}, commit {results['commit']}, "
             f"load {results['load_average_before']} on {results['cpus']} CPUs)", "",
             "| request | n | p50 ms | p95 ms | p99 ms | max ms | per second (one process) |",
             "|---|---|---|---|---|---|---|"]
    for key in ("crc", "dm_new_case", "dm_follow_up", "dm_retry_duplicate"):
        row = results.get(key)
        if row:
            lines.append(f"| {key} | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | "
                         f"{row['max_ms']} | {row['per_second']} |")
    (RESULTS / f"social-webhooks-{stamp}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
