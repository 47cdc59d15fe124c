"""Where a console page spends its time at scale: the pages of ``bench/scale.py`` through Django's
test client, in this process, against a generated database (``generate_cases.py``). No server and
no network, so the split between SQL and Python does not depend on the HTTP stack.

    .venv/bin/python bench/profile_pages.py --db-url postgres://postgres@127.0.0.1:5432/postdesk_scale_final
    .venv/bin/python bench/profile_pages.py --only queue --count 20 --top 30

Per page: wall ms per request (median of ``--count``), of which SQL (the queries Django timed),
the number of queries, and the cProfile top functions by internal time over all the requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import generate_cases  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/postdesk_scale_final")
    parser.add_argument("--only", default="", help="pages whose name contains this")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"))
    parser.add_argument("--no-profile", action="store_true", help="timings only")
    args = parser.parse_args(argv)

    os.environ.setdefault("SECRET_KEY", "profile-pages-secret-key-not-for-production-use-0123456789")
    generate_cases.setup_django(args.db_url, tempfile.mkdtemp(prefix="postdesk-profile-pages-"))
    import scale  # noqa: E402  (after Django is set up)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    ids = scale.prepare_page_ids()
    users = {"agent": generate_cases.BENCH_AGENT, "supervisor": generate_cases.BENCH_SUPERVISOR}
    clients = {"customer": Client()}
    for who, username in users.items():
        clients[who] = Client()
        clients[who].force_login(get_user_model().objects.get(username=username))

    for page in scale.page_list(ids):
        if args.only not in page["name"]:
            continue
        client = clients[page["user"]]
        for _ in range(3):
            assert client.get(page["path"]).status_code == 200, page
        walls, sqls, counts = [], [], []
        profiler = cProfile.Profile()
        for _ in range(args.count):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                if not args.no_profile:
                    profiler.enable()
                client.get(page["path"])
                if not args.no_profile:
                    profiler.disable()
                walls.append(1000 * (time.perf_counter() - started))
            sqls.append(sum(1000 * float(q["time"]) for q in captured.captured_queries))
            counts.append(len(captured.captured_queries))
        print(f"\n=== {page['user']:10} {page['name']}: wall {statistics.median(walls):.1f} ms, "
              f"SQL {statistics.median(sqls):.1f} ms in {statistics.median(counts):.0f} queries")
        if not args.no_profile:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print("\n".join(out.getvalue().splitlines()[6:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
