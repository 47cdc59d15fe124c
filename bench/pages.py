"""``make bench-pages``: latency of the agent queue, case, triage and dashboard pages with a
million cases in PostgreSQL (issue 5: p99 under 200 ms for every dashboard and queue page).

    .venv/bin/python bench/pages.py --generate             # generate 1M cases (~3 min), measure (~4 min)
    .venv/bin/python bench/pages.py                        # measure the database generated before
    .venv/bin/python bench/pages.py --only queue --explain # some pages; EXPLAIN the slow ones

1. With ``--generate``, ``generate_cases.py`` (re)creates the database (``--db-url``, default
   ``postdesk_pages``); without it, the database must exist from an earlier run.
2. ``postdesk web --workers 2`` (Granian over WSGI, as shipped) with ``POSTDESK_DEBUG=0``, a
   fresh ``POSTDESK_VAR_DIR`` under /tmp and its default ``DB_CONN_MAX_AGE``.
3. Signs in through the login form as ``bench-agent`` (an agent of Package Tracking) and as
   ``bench-supervisor``, then for every page: 3 warm-up requests, then ``--requests`` sequential
   requests (one at a time: the latency a person waiting for the page sees, not throughput).
   Each page must answer 200. Percentiles are nearest-rank (of 30 requests, p99 is the slowest).
4. Per page, once, in this process through Django's test client: the number of SQL queries and
   their time; with ``--explain``, ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest queries of every
   page over the target (also written to ``results/pages-<stamp>-explain.txt``).
5. How busy the machine was: CPU of the server, of PostgreSQL (every backend, ours or not) and
   of everything else, per page window, so a disturbed figure can be recognised.

Results: ``results/pages-<stamp>.{json,md}``. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import generate_cases  # noqa: E402
from run import (  # noqa: E402
    code_state,
    cpu_delta,
    cpu_snapshot,
    free_port,
    log,
    machine_info,
    postdesk_bin,
    wait_until_quiet,
)
from web_submit import latency_summary  # noqa: E402

import logging  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # Django's root logger would print every request

TARGET_P99_MS = 200.0
RESULTS = BENCH_DIR / "results"


def pages(ids: dict) -> list[dict]:
    """What is measured: name, who, path. The queue's default sort is due time first."""
    dept, other = ids["department"], ids["other_department"]
    agent, supervisor = "agent", "supervisor"
    queue = [
        ("queue: default (open, due first)", agent, "/console/"),
        ("queue: status new", agent, "/console/?status=new"),
        ("queue: status waiting", agent, "/console/?status=waiting"),
        ("queue: any status", agent, "/console/?status=any"),
        ("queue: assignee me", agent, "/console/?assignee=me"),
        ("queue: unassigned", agent, "/console/?assignee=none"),
        ("queue: oldest first", agent, "/console/?sort=oldest"),
        ("queue: newest first", agent, "/console/?sort=newest"),
        ("queue: priority", agent, "/console/?sort=priority"),
        ("queue: page 20", agent, "/console/?page=20"),
        ("queue: default (open, due first)", supervisor, "/console/"),
        ("queue: department", supervisor, f"/console/?department={dept}"),
        ("queue: department, any status", supervisor, f"/console/?department={other}&status=any"),
        ("queue: status new", supervisor, "/console/?status=new"),
        ("queue: status resolved", supervisor, "/console/?status=resolved"),
        ("queue: status closed", supervisor, "/console/?status=closed"),
        ("queue: any status", supervisor, "/console/?status=any"),
        ("queue: oldest first", supervisor, "/console/?sort=oldest"),
        ("queue: any status, oldest", supervisor, "/console/?status=any&sort=oldest"),
        ("case page (open case)", agent, f"/console/cases/{ids['case_number']}/"),
        ("case page (closed case)", supervisor, f"/console/cases/{ids['closed_case_number']}/"),
        ("needs triage", agent, "/console/triage/"),
        ("needs triage", supervisor, "/console/triage/"),
        ("dashboards: 30 days", supervisor, "/console/dashboards/"),
        ("dashboards: 90 days", supervisor, "/console/dashboards/?period=90"),
        ("dashboards: 365 days", supervisor, "/console/dashboards/?period=365"),
        ("dashboards: 365 days, department", supervisor, f"/console/dashboards/?period=365&department={dept}"),
        ("CSV: volume by topic, 365 days", supervisor, "/console/dashboards/volume_topic.csv?period=365"),
        ("CSV: response times, 365 days", supervisor, "/console/dashboards/response_times.csv?period=365"),
    ]
    return [{"name": name, "user": user, "path": path} for name, user, path in queue]


# --- Django in this process: users, ids, SQL counts, EXPLAIN


def setup_django(db_url: str, var_dir: str) -> None:
    generate_cases.setup_django(db_url, var_dir)


def prepare_ids() -> dict:
    """Make sure the bench users exist with the known password, and pick the ids to visit."""
    from django.contrib.auth import get_user_model

    from postdesk.accounts.models import AgentProfile
    from postdesk.cases.models import Case, Department

    User = get_user_model()
    department = Department.objects.get(slug=generate_cases.BENCH_DEPARTMENT)
    for username, role in ((generate_cases.BENCH_AGENT, AgentProfile.Role.AGENT),
                           (generate_cases.BENCH_SUPERVISOR, AgentProfile.Role.SUPERVISOR)):
        user, _created = User.objects.get_or_create(username=username)
        user.set_password(generate_cases.PASSWORD)
        user.save()
        profile, _created = AgentProfile.objects.get_or_create(user=user, defaults={"role": role})
        if role == AgentProfile.Role.AGENT:
            profile.departments.add(department)
    agent = User.objects.get(username=generate_cases.BENCH_AGENT)
    # An open case of the agent with a reply and a follow-up, and a closed one anywhere.
    open_case = (Case.objects.filter(department=department, assignee=agent, status="open")
                 .order_by("-id").first()
                 or Case.objects.filter(department=department, status__in=["new", "open"]).order_by("-id").first())
    closed_case = Case.objects.filter(status="closed").order_by("id")[1000:1001].first() or open_case
    other = Department.objects.exclude(pk=department.pk).order_by("pk").first()
    return {"department": department.pk, "other_department": other.pk, "case_number": open_case.number,
            "closed_case_number": closed_case.number, "cases": Case.objects.count()}


def sql_profile(page: dict, *, explain: bool, explain_top: int = 2) -> dict:
    """One request through the test client: queries, their time, EXPLAIN of the slowest."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    username = generate_cases.BENCH_AGENT if page["user"] == "agent" else generate_cases.BENCH_SUPERVISOR
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(page["path"])  # warm
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(page["path"])
        elapsed = time.perf_counter() - started
    queries = [{"sql": q["sql"], "ms": 1000 * float(q["time"])} for q in captured.captured_queries]
    result = {"status": response.status_code, "in_process_ms": round(1000 * elapsed, 1),
              "queries": len(queries), "sql_ms": round(sum(q["ms"] for q in queries), 1),
              "slowest": sorted(queries, key=lambda q: -q["ms"])[:3]}
    if explain:
        plans = []
        with connection.cursor() as cursor:
            for query in result["slowest"][:explain_top]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plans.append({"sql": query["sql"], "ms": query["ms"],
                              "plan": "\n".join(row[0] for row in cursor.fetchall())})
        result["plans"] = plans
    return result


# --- The server and the HTTP client


class Server:
    def __init__(self, args, var_dir: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=args.db_url, POSTDESK_DEBUG="0", POSTDESK_VAR_DIR=var_dir,
                   SECRET_KEY=secrets.token_urlsafe(40), DJANGO_SETTINGS_MODULE="postdesk.config.settings")
        for item in args.env:
            key, _, value = item.partition("=")
            env[key] = value
        self.log_path = Path(var_dir) / "web.log"
        command = [postdesk_bin(), "web", "--host", "127.0.0.1", "--port", str(self.port), "--workers",
                   str(args.web_workers)]
        if args.granian_wsgi:
            # Granian's WSGI interface on the Django WSGI app, as ``postdesk web`` served pages
            # up to commit d7d432d (4 blocking threads per worker).
            command = [sys.executable, "-m", "granian", "--interface", "wsgi",
                       "postdesk.config.wsgi:application", "--host", "127.0.0.1", "--port",
                       str(self.port), "--workers", str(args.web_workers), "--blocking-threads", "4",
                       "--backpressure", "32", "--no-ws", "--log-level", "warning"]
        if args.nice:
            # On a machine shared with other people's test suites: the server and its PostgreSQL
            # backends (``renice_backends``) get a larger share of the cores. In the report.
            command = ["nice", "-n", str(args.nice), *command]
        self.process = subprocess.Popen(command, env=env, stdout=self.log_path.open("wb"),
                                        stderr=subprocess.STDOUT, start_new_session=True)
        # A loaded machine (other people's work on the same cores) can take a minute or more
        # to import Django and load the triage model in every worker.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"postdesk web exited: see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/console/login/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"postdesk web did not answer within 240 s: see {self.log_path}")

    def stop(self) -> None:
        """SIGTERM to the server's process group, then SIGKILL if any of it is left after 15 s.

        ``postdesk web`` exits at once, but Granian and its workers (same group) can take
        longer or linger, so the whole group is waited for, not only its leader."""
        group = self.process.pid
        try:
            os.killpg(group, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            self.process.poll()
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()


def renice_backends(niceness: int) -> list[int]:
    """Give the PostgreSQL backends of the bench database (the server's persistent connections,
    not other people's) the server's niceness; returns their pids."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        pids = [row[0] for row in cursor.fetchall()]
    for pid in pids:
        try:
            os.setpriority(os.PRIO_PROCESS, pid, niceness)
        except OSError:
            pass
    return pids


def signed_in_client(base: str, username: str):
    import httpx

    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    form = client.get("/console/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = client.post("/console/login/", data={"username": username, "password": generate_cases.PASSWORD,
                                                   "csrfmiddlewaretoken": token})
    if answer.status_code != 302:
        raise SystemExit(f"signing in as {username} failed: HTTP {answer.status_code}")
    return client


def measure(client, path: str, *, warmup: int, count: int) -> tuple[list[float], int, int]:
    """Latencies (s) of ``count`` sequential GETs after ``warmup``; (latencies, bytes, errors)."""
    errors, size = 0, 0
    for _ in range(warmup):
        client.get(path)
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        latencies.append(time.perf_counter() - started)
        size = len(response.content)
        errors += response.status_code != 200
    return latencies, size, errors


# --- Report


def render_markdown(report: dict) -> str:
    gen = report.get("generation")
    lines = [f"# Page latency with {report['cases']:,} cases on PostgreSQL ({report['stamp']})", ""]
    if report.get("label"):
        lines += [f"Label: {report['label']}", ""]
    server = report.get("server", "postdesk web")
    server = ("`postdesk web`" if server == "postdesk web" else f"`{server}` (Granian's WSGI interface, as "
              "`postdesk web` served pages before the chat's ASGI entry point)")
    lines += [f"Target: p99 under {TARGET_P99_MS:.0f} ms for every dashboard and queue page. "
              f"{server} with {report['web_workers']} workers (DEBUG off)"
              + (f", the server and its PostgreSQL backends at niceness {report['server_nice']} (ahead "
                 "of other people's jobs on the shared cores)" if report.get("server_nice") else "")
              + ", one "
              f"request at a time, {report['requests']} requests per page after {report['warmup']} "
              f"warm-ups; nearest-rank percentiles. Code: {report['code']}.", ""]
    if gen:
        t = gen["timings"]
        lines += [f"Data generated in {t['total_s']:.0f} s (migrate {t['migrate_s']:.0f}, COPY "
                  f"{t['copy_s']:.0f}, indexes {t['indexes_s']:.0f}, VACUUM ANALYZE "
                  f"{t['vacuum_analyze_s']:.0f}, rollups {t['rollups_s']:.0f}); "
                  f"{gen['active']:,} open cases, database {gen['database_size']}.", ""]
    lines += ["| page | as | p50 ms | p99 ms | max ms | SQL queries | SQL ms (1 req) | ≤ target | "
              "web CPU ms/req | other CPU (cores) |",
              "|---|---|---:|---:|---:|---:|---:|:-:|---:|---:|"]
    for row in report["pages"]:
        lat = row["latency"]
        ok = "yes" if lat["p99_ms"] <= TARGET_P99_MS else "**no**"
        sql = row.get("sql") or {}
        lines.append(f"| {row['name']} `{row['path']}` | {row['user']} | {lat['p50_ms']:.0f} | "
                     f"{lat['p99_ms']:.0f} | {lat['max_ms']:.0f} | {sql.get('queries', '')} | "
                     f"{sql.get('sql_ms', '')} | {ok} | {row['web_cpu_ms_per_request']:.0f} | "
                     f"{row['other_cores']:.2f} |")
    lines += ["", f"Machine before the run: {report['quiet']}. \"other CPU\" is the machine's busy "
              "CPU during the page's window minus the server's, PostgreSQL's and this process's, "
              "in cores (of 2); PostgreSQL's own figure includes other people's queries on the "
              "same cluster. Load average at the start: " + report["loadavg_start"]
              + ", at the end: " + report["loadavg_end"] + ".", ""]
    slow = [row for row in report["pages"] if row["latency"]["p99_ms"] > TARGET_P99_MS]
    lines.append(f"Pages over the target: {len(slow)} of {len(report['pages'])}.")
    return "\n".join(lines) + "\n"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", action="store_true", help="(re)generate the database first")
    parser.add_argument("--cases", type=int, default=1_000_000, help="with --generate")
    parser.add_argument("--db-url", default=generate_cases.DEFAULT_DB_URL)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--explain", action="store_true",
                        help="EXPLAIN ANALYZE the slowest queries of pages over the target")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server")
    parser.add_argument("--nice", type=int, default=0,
                        help="run the server and its PostgreSQL backends at this niceness (negative: "
                             "ahead of other jobs on a shared machine; needs root)")
    parser.add_argument("--granian-wsgi", action="store_true",
                        help="serve with Granian's WSGI interface directly instead of `postdesk web`")
    parser.add_argument("--quiet-wait", type=float, default=20)
    parser.add_argument("--label", default="")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    generation = None
    if args.generate:
        generation = generate_cases.main(["--db-url", args.db_url, "--cases", str(args.cases)])
    var_dir = tempfile.mkdtemp(prefix="postdesk-pages-")
    setup_django(args.db_url, var_dir)
    ids = prepare_ids()
    log(f"{ids['cases']:,} cases in {args.db_url.rsplit('/', 1)[-1]}")
    selected = [p for p in pages(ids) if args.only in p["name"]]

    quiet = wait_until_quiet(args.quiet_wait)
    loadavg_start = open("/proc/loadavg").read().split()[:3]
    server = Server(args, var_dir)
    rows = []
    try:
        clients = {"agent": signed_in_client(server.base, generate_cases.BENCH_AGENT),
                   "supervisor": signed_in_client(server.base, generate_cases.BENCH_SUPERVISOR)}
        for page in selected:
            if args.nice:
                renice_backends(args.nice)
            before = cpu_snapshot({"web": server.process.pid, "bench": os.getpid()})
            latencies, size, errors = measure(clients[page["user"]], page["path"], warmup=args.warmup,
                                              count=args.requests)
            after = cpu_snapshot({"web": server.process.pid, "bench": os.getpid()})
            used = cpu_delta(before, after)
            window = sum(latencies) or 1e-9
            other = used["machine_busy"] - used["web"] - used["postgres"] - used["bench"]
            lat = latency_summary(latencies)
            row = {**page, "latency": {k: round(v, 1) for k, v in lat.items()}, "bytes": size,
                   "errors": errors, "web_cpu_ms_per_request": 1000 * used["web"] / (args.requests + args.warmup),
                   "postgres_cpu_ms_per_request": 1000 * used["postgres"] / (args.requests + args.warmup),
                   "other_cores": max(0.0, other) / window}
            if errors:
                raise SystemExit(f"{page['name']} ({page['path']}): {errors} answers were not 200")
            rows.append(row)
            log(f"{page['user']:10} {page['name'][:44]:44} p50 {lat['p50_ms']:6.0f} ms  p99 "
                f"{lat['p99_ms']:6.0f} ms  other {row['other_cores']:.2f} cores")
    finally:
        server.stop()
        for client in locals().get("clients", {}).values():
            client.close()
    loadavg_end = open("/proc/loadavg").read().split()[:3]

    log("SQL per page (one request in process)")
    explained = []
    for row in rows:
        slow = row["latency"]["p99_ms"] > TARGET_P99_MS
        row["sql"] = sql_profile(row, explain=args.explain and slow)
        if row["sql"].get("plans"):
            explained.append(row)

    report = {"stamp": stamp, "label": args.label, "cases": ids["cases"], "ids": ids, "requests": args.requests,
              "warmup": args.warmup, "web_workers": args.web_workers, "env": args.env,
              "server": "granian --interface wsgi" if args.granian_wsgi else "postdesk web",
              "server_nice": args.nice,
              "target_p99_ms": TARGET_P99_MS, "quiet": quiet, "loadavg_start": " ".join(loadavg_start),
              "loadavg_end": " ".join(loadavg_end), "code": code_state(), "machine": machine_info(),
              "generation": generation, "pages": rows}
    name = f"pages-{stamp}" + (f"-{args.label}" if args.label else "")
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, default=str))
    markdown = render_markdown(report)
    (RESULTS / f"{name}.md").write_text(markdown)
    if explained:
        text = []
        for row in explained:
            for plan in row["sql"]["plans"]:
                text.append(f"## {row['user']}: {row['name']} {row['path']} ({plan['ms']:.0f} ms)\n\n"
                            f"{plan['sql']}\n\n{plan['plan']}\n")
        (RESULTS / f"{name}-explain.txt").write_text("\n".join(text))
        print("\n".join(text))
    print(markdown)
    log(f"wrote {RESULTS / name}.md and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
