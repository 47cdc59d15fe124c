"""Where a web-form submission spends its CPU: GET + POST of the form through Django's test
client, in-process, on a fresh SQLite or PostgreSQL database. No server, no network, so the
figures do not depend on what else runs on the machine.

    .venv/bin/python bench/profile_post.py --db postgres --count 300
    .venv/bin/python bench/profile_post.py --db sqlite --count 300 --top 40

Prints CPU ms per GET and per POST (process time), SQL queries per request (with the statements
of one POST), and the cProfile top functions of the POSTs by cumulative time. The client goes
through Django's handler and full middleware stack (CSRF checks on), not uvicorn, so the server's
own HTTP and ASGI costs are not in it; the py-spy profile of run.py --profile shows those.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import os
import pstats
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def setup(db: str, pg_url: str, redis_url: str, template: str = "") -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="postdesk-profile-"))
    atexit.register(shutil.rmtree, var_dir, True)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "postdesk.config.settings", "POSTDESK_VAR_DIR": str(var_dir),
        "POSTDESK_DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_URL": "console:", "POSTDESK_BASE_URL": "http://127.0.0.1:8000",
    })
    for key in ("DATABASE_URL", "REDIS_URL", "HUEY_IMMEDIATE"):
        os.environ.pop(key, None)
    if db == "postgres":
        import psycopg

        server, _slash, name = pg_url.rstrip("/").rpartition("/")
        with psycopg.connect(server + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if template:  # a copy of a generated database (bench/generate_cases.py), migrated already
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
            else:
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = pg_url
        os.environ["REDIS_URL"] = redis_url
        import redis

        client = redis.Redis.from_url(redis_url)
        client.flushdb()
        client.close()
    import django

    django.setup()
    from django.core.management import call_command

    if not template:
        call_command("migrate", verbosity=0, interactive=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postdesk_bench_profile")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--handler", choices=["wsgi", "asgi"], default="wsgi",
                        help="wsgi: Client (the WSGI path, with SQL capture and cProfile); asgi: "
                             "AsyncClient through the async middleware chain, CPU only")
    parser.add_argument("--template", default="",
                        help="PostgreSQL: profile on a copy of this (generated) database instead of an empty one")
    args = parser.parse_args()
    setup(args.db, args.pg_url, args.redis_url, args.template)
    if args.handler == "asgi":
        import asyncio

        asyncio.run(asgi_cpu(args))
        drop_database(args)
        return

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import web_submit

    pool, _source = web_submit.text_pool()
    client = Client(enforce_csrf_checks=True)
    path = web_submit.TOPIC_PATH

    def one(i: int, profiler=None) -> dict:
        sample = pool[i % len(pool)]
        with CaptureQueriesContext(connection) as get_queries:
            c0, w0 = time.process_time(), time.perf_counter()
            page = client.get(path)
            c1, w1 = time.process_time(), time.perf_counter()
        token, submission_id = web_submit.form_fields(page.content.decode())
        data = web_submit.form_data(sample, token=token, submission_id=submission_id,
                                    email=web_submit.unique_email(sample, f"p{i}"))
        with CaptureQueriesContext(connection) as post_queries:
            if profiler:
                profiler.enable()
            c2, w2 = time.process_time(), time.perf_counter()
            answer = client.post(path, data=data)
            c3, w3 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.disable()
        if answer.status_code != 302:
            raise SystemExit(f"POST answered {answer.status_code}: {answer.content[:500]!r}")
        return {"get_cpu": c1 - c0, "get_wall": w1 - w0, "post_cpu": c3 - c2, "post_wall": w3 - w2,
                "get_sql": [q["sql"] for q in get_queries.captured_queries],
                "post_sql": [q["sql"] for q in post_queries.captured_queries],
                "post_sql_ms": [(q["sql"], 1000 * float(q["time"])) for q in post_queries.captured_queries]}

    for i in range(20):  # warm-up: imports, template loading, the holidays table
        one(i)
    # Timed without the profiler (it would inflate the figures), then profiled separately.
    rows = [one(i) for i in range(20, 20 + args.count)]
    # CPU time as the profiler's clock: waiting for the database is not cost here.
    profiler = cProfile.Profile(time.process_time)
    for i in range(20 + args.count, 20 + args.count + max(args.count // 2, 50)):
        one(i, profiler)

    def med(key):
        values = sorted(r[key] for r in rows)
        return 1000 * values[len(values) // 2], 1000 * sum(values) / len(values)

    print(f"{args.db}: {args.count} submissions through the test client (ms: median / mean)")
    for kind in ("get", "post"):
        cpu, wall = med(f"{kind}_cpu"), med(f"{kind}_wall")
        queries = Counter(len(r[f"{kind}_sql"]) for r in rows).most_common(3)
        print(f"  {kind.upper():4} CPU {cpu[0]:.2f} / {cpu[1]:.2f}   wall {wall[0]:.2f} / {wall[1]:.2f}"
              f"   SQL statements per request: {queries}")
    for kind in ("get", "post"):
        print(f"\n  SQL of one {kind.upper()}:")
        for sql in rows[-1][f"{kind}_sql"]:
            print("   ", sql[:150])
    # Where the database time of a POST goes: statements of the same shape (literals masked).
    shapes: Counter = Counter()
    for row in rows:
        for sql, ms in row["post_sql_ms"]:
            shapes[re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:220]] += ms
    total = sum(shapes.values()) or 1e-9
    print(f"\n  SQL time of the POSTs by statement shape: {total / len(rows):.2f} ms per POST")
    for sql, ms in shapes.most_common(12):
        print(f"    {ms / len(rows):6.2f} ms  {100 * ms / total:4.1f} %  {sql}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    print("\n  cProfile of the POSTs, CPU time (cumulative):")
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print("\n  cProfile of the POSTs, CPU time (own):")
    print(out.getvalue())
    drop_database(args)


async def asgi_cpu(args) -> None:
    """CPU per GET and POST through Django's async request path, as under uvicorn: every sync
    middleware hook and the view hop between the event loop and a worker thread. Process CPU
    time covers all threads."""
    from django.test import AsyncClient

    import web_submit

    pool, _source = web_submit.text_pool()
    client = AsyncClient(enforce_csrf_checks=True)
    path = web_submit.TOPIC_PATH
    rows = []
    for i in range(20 + args.count):
        sample = pool[i % len(pool)]
        c0 = time.process_time()
        page = await client.get(path)
        c1 = time.process_time()
        token, submission_id = web_submit.form_fields(page.content.decode())
        data = web_submit.form_data(sample, token=token, submission_id=submission_id,
                                    email=web_submit.unique_email(sample, f"a{i}"))
        c2 = time.process_time()
        answer = await client.post(path, data=data)
        c3 = time.process_time()
        if answer.status_code != 302:
            raise SystemExit(f"POST answered {answer.status_code}: {answer.content[:500]!r}")
        if i >= 20:
            rows.append((c1 - c0, c3 - c2))
    for index, kind in enumerate(("GET", "POST")):
        values = sorted(r[index] for r in rows)
        print(f"  {kind:4} CPU (AsyncClient, async middleware chain) ms: median "
              f"{1000 * values[len(values) // 2]:.2f} / mean {1000 * sum(values) / len(values):.2f}")


def drop_database(args) -> None:
    if args.db != "postgres":
        return
    from django.db import connections

    connections.close_all()
    import psycopg

    server, _slash, name = args.pg_url.rstrip("/").rpartition("/")
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
