"""``make bench-scale``: Postdesk with a million cases on PostgreSQL (issue 7).

    .venv/bin/python bench/scale.py                          # everything, about 25 minutes
    .venv/bin/python bench/scale.py --cases 50000 --quick    # a small rehearsal
    .venv/bin/python bench/scale.py --no-generate --only pages   # pages on the database of an earlier run

Targets at 1M cases: every page p99 under 100 ms, search p99 under 150 ms; ingest and web-form
submission rates within 20 % of the rates on an empty database.

1. **Empty database** (``--phases`` ``ingest``, ``web``): email ingest messages/s with 1, 2 and 4
   worker processes (``ingest.py``'s run: N messages of the peer's corpus through
   ``receive_email``, checked against the manifest), and web-form submissions/s with 2 and 4
   web processes (``run.py``'s closed loop, ``--web-concurrency`` virtual users, confirmation
   emails to a recording SMTP sink), each on a fresh copy of a freshly migrated database.
2. **Generate** (``generate_cases.py``): 1,000,000 cases, about 5 million messages, customers,
   tracking numbers, triage entities and the search index into ``--db-url`` (default
   ``postdesk_scale``), kept afterwards.
3. **Pages** at 1M: ``postdesk web`` (2 workers), one request at a time, ``--warmup`` then
   ``--requests`` per page: the department queue, case pages, the customer's status page,
   search by tracking number (also typed with spaces), by case number, email, phone, name,
   and free text in English, German and Spanish. Per page, the SQL of one request in this
   process and ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest statements of pages over target.
4. **Ingest and web at 1M**: the same runs as in 1, each on a fresh copy of the generated
   database (``CREATE DATABASE ... TEMPLATE ... STRATEGY FILE_COPY``); the ingest check reads
   only the rows the run added.

Every phase records how busy the machine was before it (load average, busy cores) and, during
each window, the CPU used by processes other than ours. Results: ``results/scale-<stamp>.json``
and ``.md``. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote_plus

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import generate_cases  # noqa: E402
import ingest as ingest_bench  # noqa: E402
import pages as pages_bench  # noqa: E402
import run as web_bench  # noqa: E402
import web_submit  # noqa: E402

RESULTS = BENCH_DIR / "results"
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/postdesk_scale"
TARGET_PAGE_P99_MS = 100.0
TARGET_SEARCH_P99_MS = 150.0
TARGET_RATE_RATIO = 0.8
# Words of the agent's department (Package Tracking) in German and Spanish messages, inflected
# differently from the text: the stemmers must meet them.
FREE_TEXT_DE, FREE_TEXT_ES = "Sendungsverfolgung Pakete", "paquetes seguimiento"  # at 1M, at least 80 % of the empty database's rate
log = web_bench.log


# --------------------------------------------------------------------------------------------
# Databases: an empty migrated template, and copies of the generated one
# --------------------------------------------------------------------------------------------

class GeneratedCopy(web_bench.Database):
    """Fresh copies of the generated database for runs that write (ingest, web form): the
    generated database is the template and is never dropped here."""

    def __init__(self, work_dir: Path, generated_url: str, run_name: str, model_dir: Path):
        server, _slash, template = generated_url.rstrip("/").rpartition("/")
        super().__init__("postgres", work_dir, f"{server}/{run_name}")
        self.pg_template = template
        self.template_dir = model_dir  # the triage model trained for the empty runs

    def prepare_template(self, env: dict) -> float:
        return 0.0

    def fresh_copy(self, var_dir: Path) -> None:
        started = time.monotonic()
        import psycopg

        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            for attempt in range(30):
                try:
                    # FILE_COPY: a checkpoint and a file copy, far quicker than WAL-logging 5 GB.
                    conn.execute(f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{self.pg_template}" '
                                 "STRATEGY FILE_COPY")
                    break
                except psycopg.errors.ObjectInUse:
                    # An autovacuum worker (or a lingering backend) is on the template: wait.
                    if attempt == 29:
                        raise
                    time.sleep(2)
        self.last_copy_s = time.monotonic() - started
        log(f"  copied {self.pg_template} to {self.pg_name} in {self.last_copy_s:.0f} s")

    def counts(self, var_dir: Path) -> dict:
        return super().counts(var_dir)

    def drop_all(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def machine_state() -> dict:
    quiet = web_bench.wait_until_quiet(0)
    return {"loadavg": os.getloadavg(), "busy_cores": quiet["busy_cores_before"],
            "at": time.strftime("%H:%M:%S")}


# --------------------------------------------------------------------------------------------
# Ingest and web-form runs (the machinery of ingest.py and run.py)
# --------------------------------------------------------------------------------------------

def ingest_args(args) -> SimpleNamespace:
    return SimpleNamespace(shuffle_seed=7, quiet_wait=args.quiet_wait, redis_url=args.ingest_redis_url,
                           extra_env={}, code_path=None, run_timeout=1800.0, code="worktree")


def ingest_phase(db, args, root: Path, *, scoped: bool) -> list[dict]:
    rows = []
    for workers in args.ingest_workers:
        row = ingest_bench.ingest_run(db, ingest_args(args), n=args.ingest_messages, workers=workers,
                                      order="ordered", root=root, run_no=1, scoped_verify=scoped)
        v = row["verify"]
        rows.append({
            "workers": workers, "messages": args.ingest_messages, "msgs_per_s": row["msgs_per_s"],
            "process_s": row["process_s"], "worker_cpu_ms_per_msg": row["worker_cpu_ms_per_msg"],
            "postgres_backends_cpu_ms_per_msg": row["postgres_backends_cpu_ms_per_msg"],
            "other_cores": row["other_cores"], "before": row["before"], "loadavg_before": row["loadavg_before"],
            "copy_s": getattr(db, "last_copy_s", None),
            "check": {k: v[k] for k in ("expected_cases", "cases", "dropped", "duplicates", "mis_threaded",
                                        "body_probe_missing", "attachments_ok_sha256", "expected_attachments",
                                        "confirmations")},
        })
        if v["dropped"] or v["duplicates"] or v["mis_threaded"]:
            log(f"ingest check failed: {rows[-1]['check']}")
    return rows


def web_args(args, web_processes: int) -> SimpleNamespace:
    return SimpleNamespace(port=web_bench.free_port(), web_workers=web_processes, redis_url=args.web_redis_url,
                           extra_env={}, server="postdesk", quiet_wait=args.quiet_wait,
                           duration=args.web_duration, warmup=args.web_warmup, max_submissions=100_000,
                           drain_timeout=90.0)


def web_phase(db, args, root: Path, pool: list[dict], *, label: str) -> list[dict]:
    rows = []
    for processes in args.web_processes:
        before_cases = None
        if isinstance(db, GeneratedCopy):
            before_cases = args.generated_cases
        row = web_bench.load_run(db, web_args(args, processes), conc=args.web_concurrency, repeat=processes,
                                 pool=pool, root=root / f"web-{label}")
        lt = row["latency_total"] or {}
        cases_added = row["db_counts_after"]["cases"] - (before_cases or 0)
        rows.append({
            "web_processes": processes, "concurrency": args.web_concurrency,
            "submissions_per_s": row["submissions_per_s"], "ok": row["ok"], "errors": row["error_count"],
            "p50_ms": lt.get("p50_ms"), "p99_ms": lt.get("p99_ms"),
            "web_cpu_ms_per_submission": row["server_cpu_ms_per_submission"],
            "postgres_cpu_ms_per_submission": row["postgres_cpu_ms_per_submission"],
            "other_cpu_s": row["other_cpu_s"], "window_s": row["window_s"],
            "other_cores": row["other_cpu_s"] / row["window_s"] if row["window_s"] else None,
            "before": row["before"], "loadavg_before": row["loadavg_before"],
            "copy_s": getattr(db, "last_copy_s", None),
            "cases_added": cases_added, "cases_expected": row["db_cases_expected"],
            "emails_delivered": row["email_under_load"]["delivered_all"],
            "emails_expected": row["email_under_load"]["submitted_all"],
            "log_problems": {k: v["lines"] for k, v in row["log_problems"].items()},
            # What failed, not only how many: the client's error texts and the servers' lines.
            "error_kinds": row["errors"], "log_problem_details": row["log_problems"],
        })
    return rows


# --------------------------------------------------------------------------------------------
# Pages at 1M
# --------------------------------------------------------------------------------------------

def page_list(ids: dict) -> list[dict]:
    """name, who, path, kind ("page" or "search": the target differs)."""
    q = quote_plus
    items = [
        ("department queue (agent's default: open, due first)", "agent", "/console/", "page"),
        ("department queue, page 5", "agent", "/console/?page=5", "page"),
        ("department queue (supervisor, one department)", "supervisor",
         f"/console/?department={ids['department']}", "page"),
        ("case page (open case)", "agent", f"/console/cases/{ids['open_case']}/", "page"),
        ("case page (closed case, long thread)", "supervisor", f"/console/cases/{ids['closed_case']}/", "page"),
        ("customer status page", "customer", f"/status/{ids['status_token']}/", "page"),
        ("search: tracking number", "agent", f"/console/search/?q={q(ids['tracking'])}", "search"),
        ("search: tracking number typed with spaces", "agent",
         f"/console/search/?q={q(ids['tracking_spaced'])}", "search"),
        ("search: case number", "agent", f"/console/search/?q={q(ids['search_case'])}", "search"),
        ("search: customer email", "agent", f"/console/search/?q={q(ids['email'])}", "search"),
        ("search: phone as typed", "agent", f"/console/search/?q={q(ids['phone'])}", "search"),
        ("search: customer name", "agent", f"/console/search/?q={q(ids['name'])}", "search"),
        ("free text (en): two words", "agent", "/console/search/?q=" + q("medication delivered"), "search"),
        ("free text (en): one common word", "agent", "/console/search/?q=" + q("package"), "search"),
        ("free text (de)", "agent", "/console/search/?q=" + q(FREE_TEXT_DE), "search"),
        ("free text (es)", "agent", "/console/search/?q=" + q(FREE_TEXT_ES), "search"),
        ("free text + filters (status new, 30 days)", "agent",
         "/console/search/?q=" + q("tracking") + f"&status=new&created_from={ids['since_30_days']}", "search"),
        ("free text (supervisor, every department)", "supervisor", "/console/search/?q=" + q("refund"), "search"),
    ]
    return [{"name": n, "user": u, "path": p, "kind": k} for n, u, p, k in items]


def prepare_page_ids() -> dict:
    """Bench users (pages.prepare_ids) and what to visit: cases, a status token (signed with
    this process's SECRET_KEY, which the server shares), identifiers to search for."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from postdesk.cases.access import status_token
    from postdesk.cases.models import Case, Department
    from postdesk.search.models import SearchIdentifier

    base = pages_bench.prepare_ids()
    department = Department.objects.get(slug=generate_cases.BENCH_DEPARTMENT)
    open_case = Case.objects.get(number=base["case_number"])
    closed = (Case.objects.filter(status="closed", id__gt=base["cases"] // 2)
              .annotate(n=Count("messages")).filter(n__gte=7).order_by("id").first()
              or Case.objects.get(number=base["closed_case_number"]))
    # A customer with several cases; the status page of the newest one.
    customer_case = (Case.objects.filter(customer__cases__status="closed", id__gt=base["cases"] - 5000)
                     .select_related("customer").order_by("-id").first() or open_case)
    # Identifiers of a case in the agent's department (the agent sees only that department).
    tracked = (SearchIdentifier.objects.filter(kind="tracking", value__startswith="9",
                                               case_id__in=Case.objects.filter(department=department)
                                               .values("id")[:5000]).order_by("-case_id").first())
    tracked_case = Case.objects.select_related("customer").get(pk=tracked.case_id)
    phone_case = (Case.objects.filter(department=department).exclude(customer__phone="")
                  .select_related("customer").order_by("-id").first())
    phone = phone_case.customer.phone  # +1AAAEEELLLL -> (AAA) EEE-LLLL, as people type it
    number = tracked.value
    return {**base, "department": department.pk, "open_case": open_case.number, "closed_case": closed.number,
            "status_token": status_token(customer_case), "status_case": customer_case.number,
            "tracking": number, "tracking_spaced": " ".join(number[i:i + 4] for i in range(0, len(number), 4)),
            "search_case": tracked_case.number, "email": tracked_case.customer.email,
            "phone": f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}", "phone_case": phone_case.number,
            "name": tracked_case.customer.name,
            "since_30_days": (timezone.localdate() - timedelta(days=30)).isoformat()}


def sql_profile(page: dict, *, explain: bool) -> dict:
    if page["user"] != "customer":
        return pages_bench.sql_profile(page, explain=explain)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(page["path"])
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(page["path"])
        elapsed = time.perf_counter() - started
    queries = [{"sql": q["sql"], "ms": 1000 * float(q["time"])} for q in captured.captured_queries]
    result = {"status": response.status_code, "in_process_ms": round(1000 * elapsed, 1), "queries": len(queries),
              "sql_ms": round(sum(q["ms"] for q in queries), 1),
              "slowest": sorted(queries, key=lambda q: -q["ms"])[:3]}
    if explain:
        with connection.cursor() as cursor:
            result["plans"] = []
            for query in result["slowest"][:2]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                result["plans"].append({"sql": query["sql"], "ms": query["ms"],
                                        "plan": "\n".join(row[0] for row in cursor.fetchall())})
    return result


def pages_phase(args, var_dir: str, secret_key: str) -> dict:
    ids = prepare_page_ids()
    selected = [p for p in page_list(ids) if args.only_pages in p["name"]]
    # pages.py's own defaults (its server options grow), then ours.
    server_args = pages_bench.parse_args([])
    server_args.db_url, server_args.env, server_args.web_workers = args.db_url, [f"SECRET_KEY={secret_key}"], 2
    state = machine_state()
    quiet = web_bench.wait_until_quiet(args.quiet_wait)
    server = pages_bench.Server(server_args, var_dir)
    rows = []
    try:
        import httpx

        clients = {"agent": pages_bench.signed_in_client(server.base, generate_cases.BENCH_AGENT),
                   "supervisor": pages_bench.signed_in_client(server.base, generate_cases.BENCH_SUPERVISOR),
                   "customer": httpx.Client(base_url=server.base, timeout=60)}
        for page in selected:
            before = web_bench.cpu_snapshot({"web": server.process.pid, "bench": os.getpid()})
            latencies, size, errors = pages_bench.measure(clients[page["user"]], page["path"], warmup=args.warmup,
                                                          count=args.requests)
            after = web_bench.cpu_snapshot({"web": server.process.pid, "bench": os.getpid()})
            used = web_bench.cpu_delta(before, after)
            window = sum(latencies) or 1e-9
            other = used["machine_busy"] - used["web"] - used["postgres"] - used["bench"]
            lat = web_submit.latency_summary(latencies)
            target = TARGET_SEARCH_P99_MS if page["kind"] == "search" else TARGET_PAGE_P99_MS
            row = {**page, "latency": {k: round(v, 1) for k, v in lat.items()}, "bytes": size, "errors": errors,
                   "target_p99_ms": target, "web_cpu_ms_per_request": 1000 * used["web"] / (args.requests + args.warmup),
                   "other_cores": max(0.0, other) / window}
            if errors:
                raise SystemExit(f"{page['name']} ({page['path']}): {errors} answers were not 200")
            rows.append(row)
            log(f"{page['user']:10} {page['name'][:50]:50} p50 {lat['p50_ms']:6.0f} ms  p99 {lat['p99_ms']:6.0f} ms"
                f"  ({size} bytes)  other {row['other_cores']:.2f} cores")
    finally:
        server.stop()
        for client in locals().get("clients", {}).values():
            client.close()
    for row in rows:
        slow = row["latency"]["p99_ms"] > row["target_p99_ms"]
        row["sql"] = sql_profile(row, explain=slow or args.explain_all)
        # Search results must find the case searched for (a fast empty page proves nothing).
    return {"machine_before": state, "quiet": quiet, "ids": ids, "pages": rows}


def search_sanity(ids: dict) -> dict:
    """What the searches find, in process, as the bench agent: a fast page that finds nothing
    would be a meaningless figure."""
    from django.contrib.auth import get_user_model

    from postdesk.search.selectors import search_cases

    agent = get_user_model().objects.get(username=generate_cases.BENCH_AGENT)
    found = {}
    case, phone_case = ids["search_case"], ids["phone_case"]
    for label, query, wanted in (
            ("tracking", ids["tracking"], case), ("tracking_spaced", ids["tracking_spaced"], case),
            ("case number", ids["search_case"], case), ("email", ids["email"], case),
            ("phone", ids["phone"], phone_case), ("name", ids["name"], case),
            ("medication delivered", "medication delivered", None), (FREE_TEXT_DE, FREE_TEXT_DE, None),
            (FREE_TEXT_ES, FREE_TEXT_ES, None)):
        page = search_cases(agent, query, page_size=25)
        numbers = [hit.number for hit in page.hits]
        found[label] = {"hits_on_page": len(numbers), "has_next": page.has_next,
                        "finds_the_case": None if wanted is None else wanted in numbers}
    return found


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def ratio_rows(empty: list[dict], full: list[dict], key: str, rate: str) -> list[dict]:
    out = []
    for row in empty:
        match = next((r for r in full if r[key] == row[key]), None)
        if match is None:
            continue
        ratio = match[rate] / row[rate] if row[rate] else None
        out.append({key: row[key], "empty": row[rate], "at_scale": match[rate], "ratio": ratio,
                    "within_target": ratio is not None and ratio >= TARGET_RATE_RATIO})
    return out


def render_markdown(report: dict) -> str:
    gen = report.get("generation") or {}
    lines = [f"# Scale: {report['cases']:,} cases on PostgreSQL ({report['stamp']})", ""]
    if report.get("label"):
        lines += [f"Label: {report['label']}", ""]
    lines += [f"Targets: pages p99 < {TARGET_PAGE_P99_MS:.0f} ms, search p99 < {TARGET_SEARCH_P99_MS:.0f} ms, "
              f"ingest and web-form rates at {report['cases']:,} cases ≥ {TARGET_RATE_RATIO:.0%} of the empty "
              f"database's. Code: {report['code'].get('head')}. Machine: {report['machine'].get('nproc', '?')} CPUs "
              f"({report['machine'].get('cpu_model')}). "
              f"Command: `{report['command']}`.", ""]
    if gen:
        t = gen["timings"]
        rows = gen.get("rows", {})
        lines += ["## Data", "",
                  f"Generated in {t['total_s']:.0f} s (migrate {t['migrate_s']:.0f}, COPY {t['copy_s']:.0f}, "
                  f"indexes {t['indexes_s']:.0f}, VACUUM ANALYZE {t['vacuum_analyze_s']:.0f}, rollups "
                  f"{t['rollups_s']:.0f}): " + ", ".join(f"{n:,} {table}" for table, n in rows.items())
                  + f"; {gen['customers']:,} customers; database {gen['database_size']}"
                  + (f" (generated before this run: `{gen['separate_run']}`)" if gen.get("separate_run") else "")
                  + (f"; load average at the end {gen['loadavg_end']}" if gen.get("loadavg_end") else "") + ".", ""]
        check = gen.get("search_check")
        if check:
            lines += [f"Search rows rebuilt by `search.services.document_build` for {check['checked']} random "
                      f"cases: terms equal for {check['terms_equal']}, public terms {check['public_terms_equal']}, "
                      f"identifiers {check['identifiers_equal']}.", ""]
    if report.get("pages"):
        p = report["pages"]
        lines += ["## Pages (one request at a time)", "",
                  f"{report['args']['requests']} requests after {report['args']['warmup']} warm-ups, "
                  "nearest-rank percentiles; `postdesk web --workers 2`. Machine before: load "
                  f"{', '.join(f'{x:.2f}' for x in p['machine_before']['loadavg'])}.", "",
                  "| page | as | p50 ms | p99 ms | target | ok | SQL queries | SQL ms | other CPU (cores) |",
                  "|---|---|---:|---:|---:|:-:|---:|---:|---:|"]
        for row in p["pages"]:
            lat = row["latency"]
            ok = "yes" if lat["p99_ms"] <= row["target_p99_ms"] else "**no**"
            sql = row.get("sql") or {}
            lines.append(f"| {row['name']} | {row['user']} | {lat['p50_ms']:.0f} | {lat['p99_ms']:.0f} | "
                         f"{row['target_p99_ms']:.0f} | {ok} | {sql.get('queries', '')} | {sql.get('sql_ms', '')} | "
                         f"{row['other_cores']:.2f} |")
        if p.get("search_sanity"):
            lines += ["", "What the searches found (as the agent, page of 25): " + "; ".join(
                f"{k}: {v['hits_on_page']}{'+' if v['has_next'] else ''}"
                + ("" if v["finds_the_case"] is None else (", the case" if v["finds_the_case"] else ", **not the case**"))
                for k, v in p["search_sanity"].items()) + "."]
        lines.append("")
    for title, key, unit_key, unit in (("Ingest (email, `receive_email`)", "ingest", "workers", "worker processes"),
                                       ("Web-form submissions", "web", "web_processes", "web processes")):
        empty, full = report.get(f"{key}_empty") or [], report.get(f"{key}_scale") or []
        if not (empty or full):
            continue
        rate = "msgs_per_s" if key == "ingest" else "submissions_per_s"
        cpu_label = "worker CPU ms/msg" if key == "ingest" else "web CPU ms/submission"
        lines += [f"## {title}", "", f"| {unit} | database | rate/s | {cpu_label} | PostgreSQL CPU ms | other CPU "
                  "(cores) | load before | checks |", "|---:|---|---:|---:|---:|---:|---|---|"]
        for label, rows in (("empty", empty), (f"{report['cases']:,} cases", full)):
            for row in rows:
                if key == "ingest":
                    c = row["check"]
                    checks = (f"cases {c['cases']}/{c['expected_cases']}, dropped {c['dropped']}, "
                              f"duplicates {c['duplicates']}, mis-threaded {c['mis_threaded']}")
                else:
                    checks = (f"ok {row['ok']}, errors {row['errors']}, cases +{row['cases_added']}/"
                              f"{row['cases_expected']}, emails {row['emails_delivered']}/{row['emails_expected']}, "
                              f"p50/p99 {row['p50_ms'] or 0:.0f}/{row['p99_ms'] or 0:.0f} ms")
                cpu = row["worker_cpu_ms_per_msg"] if key == "ingest" else row["web_cpu_ms_per_submission"]
                pg = (row["postgres_backends_cpu_ms_per_msg"] if key == "ingest"
                      else row["postgres_cpu_ms_per_submission"]) or 0
                lines.append(f"| {row[unit_key]} | {label} | {row[rate]:.1f} | {cpu:.1f} | {pg:.1f} | "
                             f"{row['other_cores'] or 0:.2f} | "
                             f"{', '.join(f'{x:.1f}' for x in row['loadavg_before'])} | {checks} |")
        ratios = report.get(f"{key}_ratios") or []
        if ratios:
            lines += ["", "At scale / empty: " + "; ".join(
                f"{r[unit_key]} {unit}: {r['ratio']:.2f} ({'within' if r['within_target'] else '**outside**'} "
                "the target)" for r in ratios) + "."]
        lines.append("")
    lines += ["\"other CPU\": the machine's busy CPU during the window minus ours (server, workers, "
              "PostgreSQL, this process), in cores of 2; figures taken while it is high are disturbed by "
              "other people's work on the same machine.", ""]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db-url", default=DEFAULT_DB_URL, help="the generated database (kept)")
    parser.add_argument("--no-generate", action="store_true", help="use the database of an earlier run")
    parser.add_argument("--generation-json", default="",
                        help="with --no-generate: the --json of the generate_cases.py run that made it")
    parser.add_argument("--only", default="ingest,web,pages,generate",
                        help="phases: comma list of generate, pages, ingest, web (ingest-empty, ingest-scale, "
                             "web-empty, web-scale for one half)")
    parser.add_argument("--only-pages", default="", help="pages whose name contains this")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--explain-all", action="store_true", help="EXPLAIN every page, not only slow ones")
    parser.add_argument("--ingest-messages", type=int, default=2000, help="corpus size per ingest run")
    parser.add_argument("--ingest-workers", default="1,2,4")
    parser.add_argument("--web-processes", default="2,4")
    parser.add_argument("--web-concurrency", type=int, default=16)
    parser.add_argument("--web-duration", type=float, default=20.0)
    parser.add_argument("--web-warmup", type=float, default=3.0)
    parser.add_argument("--pg-server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--ingest-redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--web-redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--quiet-wait", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true",
                        help="rehearsal: 500 messages, 1 and 2 workers, 2 web processes, 8 s windows, 10 requests")
    parser.add_argument("--label", default="")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--render", metavar="JSON", help="only print the markdown report of a results JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.ingest_messages, args.ingest_workers, args.web_processes = 500, "1,2", "2"
        args.web_duration, args.requests, args.quiet_wait = 8.0, 10, 2.0
    args.phases = {p.strip() for p in args.only.split(",") if p.strip()}
    for both in ("ingest", "web"):  # "ingest" = "ingest-empty" and "ingest-scale"
        if both in args.phases:
            args.phases |= {f"{both}-empty", f"{both}-scale"}
    if args.no_generate:
        args.phases.discard("generate")
    args.ingest_workers = [int(w) for w in args.ingest_workers.split(",") if w.strip()]
    args.web_processes = [int(w) for w in args.web_processes.split(",") if w.strip()]
    for url in (args.db_url, args.pg_server, args.ingest_redis_url, args.web_redis_url):
        if "127.0.0.1" not in url and "localhost" not in url:
            parser.error("the benchmark only talks to 127.0.0.1")
    for url in (args.ingest_redis_url, args.web_redis_url):
        if url.rstrip("/").endswith("/0"):
            parser.error("the benchmark flushes its Redis databases; not db 0")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.render:
        print(render_markdown(json.loads(Path(args.render).read_text())))
        return 0
    stamp = time.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    # One key for this process and the page server: the customer's status link is signed here.
    # Set before anything sets Django up (the generator does, in this process).
    secret_key = secrets.token_urlsafe(40)
    os.environ["SECRET_KEY"] = secret_key
    root = Path(tempfile.mkdtemp(prefix="postdesk-bench-scale-"))
    started = time.monotonic()
    report = {"stamp": stamp, "label": args.label, "command": " ".join(["bench/scale.py", *sys.argv[1:]]),
              "args": {k: v for k, v in vars(args).items() if k != "phases"}, "phases": sorted(args.phases),
              "code": web_bench.code_state(), "machine": web_bench.machine_info(), "cases": args.cases,
              "machine_at_start": machine_state()}
    pool, _source = web_submit.text_pool()
    try:
        # 1. Empty databases: a migrated template each for ingest and web, the triage model.
        ingest_db = web_bench.Database("postgres", root / "ingest", f"{args.pg_server}/postdesk_scale_ingest")
        (root / "ingest").mkdir()
        env = ingest_bench.run_env(ingest_db, root / "ingest" / "template-postgres", args.ingest_redis_url, {}, None)
        if {"ingest-empty", "ingest-scale", "web-empty"} & args.phases:
            took = ingest_db.prepare_template(env)
            model_s = ingest_bench.prepare_model(ingest_db, env)
            log(f"empty template migrated in {took:.0f} s, triage model trained in {model_s or 0:.0f} s")
        if "ingest-empty" in args.phases:
            ingest_bench.ensure_corpus(args.ingest_messages)
            report["ingest_empty"] = ingest_phase(ingest_db, args, root / "ingest", scoped=False)
            save(report, args)
        if "web-empty" in args.phases:
            web_db = web_bench.Database("postgres", root / "web", f"{args.pg_server}/postdesk_scale_web")
            (root / "web").mkdir()
            took = web_db.prepare_template(web_bench.Stack(
                web_db, run_dir=root, port=0, web_workers=1, redis_url=args.web_redis_url, extra_env={}).env(25))
            report["web_empty"] = web_phase(web_db, args, root, pool, label="empty")
            web_db.drop_all()
            save(report, args)

        # 2. The generated database.
        if "generate" in args.phases:
            report["generation"] = generate_cases.main(["--db-url", args.db_url, "--cases", str(args.cases)])
            save(report, args)
        elif args.generation_json:
            report["generation"] = json.loads(Path(args.generation_json).read_text())
            report["generation"]["separate_run"] = args.generation_json
        var_dir = tempfile.mkdtemp(prefix="postdesk-scale-pages-", dir=root)
        generate_cases.setup_django(args.db_url, var_dir)
        from postdesk.cases.models import Case

        args.generated_cases = Case.objects.count()
        report["cases"] = args.generated_cases

        # 3. Pages.
        if "pages" in args.phases:
            report["pages"] = pages_phase(args, var_dir, secret_key)
            report["pages"]["search_sanity"] = search_sanity(report["pages"]["ids"])
            save(report, args)
        from django.db import connections

        connections.close_all()  # the generated database is the template of the copies below

        # 4. Ingest and web on copies of the generated database.
        model_dir = ingest_db.template_dir
        if "ingest-scale" in args.phases:
            ingest_bench.ensure_corpus(args.ingest_messages)
            (root / "ingest-scale").mkdir()
            copy_db = GeneratedCopy(root / "ingest-scale", args.db_url, "postdesk_scale_run", model_dir)
            report["ingest_scale"] = ingest_phase(copy_db, args, root / "ingest-scale", scoped=True)
            copy_db.drop_all()
            report["ingest_ratios"] = ratio_rows(report.get("ingest_empty", []), report["ingest_scale"],
                                                 "workers", "msgs_per_s")
            save(report, args)
        if "web-scale" in args.phases:
            copy_db = GeneratedCopy(root / "web-scale", args.db_url, "postdesk_scale_run", model_dir)
            report["web_scale"] = web_phase(copy_db, args, root, pool, label="scale")
            copy_db.drop_all()
            report["web_ratios"] = ratio_rows(report.get("web_empty", []), report["web_scale"],
                                              "web_processes", "submissions_per_s")
        ingest_db.drop_all()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    report["machine_at_end"] = machine_state()
    report["elapsed_s"] = time.monotonic() - started
    name = save(report, args)
    print(render_markdown(report))
    log(f"wrote {name}.{{json,md}} in {report['elapsed_s']:.0f} s")
    return 0


def save(report: dict, args) -> Path:
    """Written after every phase, so a run cut short keeps what it measured."""
    name = RESULTS / (f"scale-{report['stamp']}" + (f"-{args.label}" if args.label else ""))
    name.with_suffix(".json").write_text(json.dumps(report, indent=1, default=str, ensure_ascii=False))
    name.with_suffix(".md").write_text(render_markdown(report))
    return name


if __name__ == "__main__":
    sys.exit(main())
