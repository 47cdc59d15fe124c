"""Where taking in an email spends its time: ``receive_email`` called in this process for the
bench corpus's messages in order (new cases, replies, follow-ups), on an empty database or on a
copy of a generated one. No SMTP, no job queue, no server: worker CPU and SQL only.

    .venv/bin/python bench/profile_ingest.py --count 400
    .venv/bin/python bench/profile_ingest.py --count 400 --template postdesk_scale_final

Prints CPU and wall ms per message (median / mean), SQL time per message by statement shape
(literals masked; Django records query times to the millisecond, so read the shares, not single
figures), and the cProfile top functions by CPU time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import sys
import time
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import ingest as ingest_bench  # noqa: E402
import profile_post  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--corpus-size", type=int, default=2000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postdesk_bench_profile_ingest")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--template", default="", help="profile on a copy of this generated database")
    args = parser.parse_args(argv)
    args.db = "postgres"

    corpus = ingest_bench.ensure_corpus(args.corpus_size)
    profile_post.setup("postgres", args.pg_url, args.redis_url, args.template)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from postdesk.intake.channels.email import receive_email

    manifest = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines()]
    messages = [(corpus / "mail" / entry["file"]).read_bytes() for entry in manifest[:args.count]]
    warm = len(messages) // 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def backend_cpu() -> float:
        # utime + stime of our PostgreSQL backend (same machine), in seconds.
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / 100
    rows, shapes = [], Counter()
    profiler = cProfile.Profile(time.process_time)
    for index, raw in enumerate(messages):
        if index == warm:
            backend_start = backend_cpu()
        with CaptureQueriesContext(connection) as captured:
            profiled = index >= warm and index % 2 == 1  # half of them, so the figures are not inflated
            if profiled:
                profiler.enable()
            c0, w0 = time.process_time(), time.perf_counter()
            receive_email(raw, source="bench")
            c1, w1 = time.process_time(), time.perf_counter()
            if profiled:
                profiler.disable()
        if index < warm:
            continue
        if not profiled:
            rows.append((c1 - c0, w1 - w0))
        for query in captured.captured_queries:
            shapes[re.sub(r"\b\d+\b|'[^']*'", "?", query["sql"])[:200]] += 1000 * float(query["time"])

    measured = len(messages) - warm
    print(f"PostgreSQL backend CPU per message: {1000 * (backend_cpu() - backend_start) / measured:.2f} ms")
    for index, kind in enumerate(("CPU", "wall")):
        values = sorted(row[index] for row in rows)
        print(f"{kind:4} ms per message: median {1000 * values[len(values) // 2]:.2f} / "
              f"mean {1000 * sum(values) / len(values):.2f}")
    total = sum(shapes.values())
    print(f"\nSQL time per message by statement shape: {total / measured:.2f} ms")
    for sql, ms in shapes.most_common(15):
        print(f"  {ms / measured:6.2f} ms  {100 * ms / (total or 1e-9):4.1f} %  {sql}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print("\ncProfile, CPU time (own):")
    print(out.getvalue())
    profile_post.drop_database(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
