"""EXPLAIN ANALYZE of each queue page's own queries (its capped count and its page of ids) on the
database ``pages.py`` measures (default ``postdesk_pages``): the SQL side of the queue pages,
without the web process and its share of the cores.

    .venv/bin/python bench/queue_plans.py [--db-url postgres://postgres@127.0.0.1:5432/postdesk_pages]

Signs in through Django's test client (``force_login``; the bench users are left as they are,
so a running ``pages.py`` keeps its sessions), captures the queries of every queue page of
``pages.pages``, and prints a Markdown table: best of three ``EXPLAIN ANALYZE`` execution times
and the plan of the page query.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_cases  # noqa: E402


def ids_without_touching_users() -> dict:
    from postdesk.cases.models import Case, Department

    department = Department.objects.get(slug=generate_cases.BENCH_DEPARTMENT)
    other = Department.objects.exclude(pk=department.pk).order_by("pk").first()
    some = Case.objects.filter(department=department).order_by("-id").first()
    return {"department": department.pk, "other_department": other.pk, "case_number": some.number,
            "closed_case_number": some.number}


def plan_summary(plan: dict) -> str:
    names, node = [], plan["Plan"]
    while node:
        names.append(node["Node Type"] + (f" on {node['Index Name']}" if "Index Name" in node else ""))
        node = (node.get("Plans") or [None])[0]
    return " > ".join(names)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", default=generate_cases.DEFAULT_DB_URL)
    args = parser.parse_args(argv)
    generate_cases.setup_django(args.db_url, tempfile.mkdtemp(prefix="postdesk-plans-"))
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import pages

    clients = {}
    for who, username in (("agent", generate_cases.BENCH_AGENT), ("supervisor", generate_cases.BENCH_SUPERVISOR)):
        clients[who] = Client(HTTP_HOST="127.0.0.1")
        clients[who].force_login(get_user_model().objects.get(username=username))
    print("| page | as | count (ms) | page of ids (ms) | plan of the page |")
    print("|---|---|---:|---:|---|")
    for page in pages.pages(ids_without_touching_users()):
        if not page["name"].startswith("queue"):
            continue
        client = clients[page["user"]]
        client.get(page["path"])
        with CaptureQueriesContext(connection) as captured:
            client.get(page["path"])
        queue_queries = [q["sql"] for q in captured.captured_queries
                         if 'FROM "cases_case"' in q["sql"]
                         and ("LIMIT 10001" in q["sql"] or re.search(r'SELECT "cases_case"."id" AS "pk" FROM', q["sql"]))]
        times, summary = [], ""
        for sql in queue_queries:
            best = None
            with connection.cursor() as cursor:
                for _ in range(3):
                    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                    plan = cursor.fetchone()[0][0]
                    best = plan["Execution Time"] if best is None else min(best, plan["Execution Time"])
            if "LIMIT 10001" not in sql:
                summary = plan_summary(plan)
            times.append(best)
        count_ms, page_ms = (times + [float("nan")] * 2)[:2]
        print(f"| {page['name']} `{page['path']}` | {page['user']} | {count_ms:.1f} | {page_ms:.1f} | {summary} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
