"""``make bench``: web-form throughput and latency, and confirmation-email delay, on SQLite and
PostgreSQL, next to the django-helpdesk peer measured on this kind of machine.

    .venv/bin/python bench/run.py                         # full run, ~10 minutes
    .venv/bin/python bench/run.py --quick                 # smoke run, ~2 minutes
    .venv/bin/python bench/run.py --db postgres --concurrency 32 --repeat 1
    .venv/bin/python bench/run.py --db postgres --profile 20 --repeat 0 --no-email

For each database: one migrated template (a SQLite file / a PostgreSQL template database), then
for every (concurrency, repeat) and for the email phase a fresh copy of it, a fresh var dir under
/tmp, a recording SMTP sink on 127.0.0.1, ``postdesk worker`` (SQLite Huey for sqlite, Redis db 15
for postgres) and ``postdesk web --workers N`` (Granian over ASGI, POSTDESK_DEBUG=0). Results go to
bench/results/<stamp>.json and bench/results/latest.{json,md}. Only 127.0.0.1 is contacted.
See bench/README.md for what is measured and how it compares with the peer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import email_delay  # noqa: E402
import web_submit  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
PEER_RESULTS = Path(os.environ.get(
    "POSTDESK_BENCH_PEER_RESULTS",
    REPO_DIR.parent / "shared" / "bench" / "peers" / "django_helpdesk" / "results",
))
# The quotation of the peer (PostgreSQL, 2 gunicorn workers), used when the peer's JSON
# files are not next to the repository.
PEER_QUOTED = {
    ("postgres", 8): {"submissions_per_s": 63.5, "total_p99_ms": 166},
    ("postgres", 32): {"submissions_per_s": 60.7, "total_p99_ms": 679},
}
TARGET = {"ratio_at_32_postgres": 5.0, "p99_ms_at_32_postgres": 150.0, "email_p99_s": 2.0}
# Idle gaps before each "sparse" submission (seconds): a quiet desk, where a polling queue backs off.
SPARSE_GAPS = [1.0, 3.0, 6.0, 10.0, 15.0, 20.0, 25.0]
SPARSE_GAPS_QUICK = [1.0, 3.0, 6.0]
SINK_CLEAN_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postdesk_bin() -> str:
    candidate = Path(sys.executable).parent / "postdesk"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("postdesk")
    if not found:
        raise SystemExit("postdesk CLI not found: run `make venv` and use .venv/bin/python")
    return found


# --------------------------------------------------------------------------------------------
# CPU accounting from /proc
# --------------------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, str, list[str]]]:
    """pid -> (ppid, comm, stat fields after comm)."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(name)] = (int(fields[1]), stat[stat.index("(") + 1:stat.rindex(")")], fields)
    return table


def descendants(root: int, table=None) -> list[int]:
    table = table or _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _comm, _f) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_snapshot(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds (user+system) of each process tree in ``groups``, of every PostgreSQL and
    Redis process (PostgreSQL with its exited children, as the peer counts it: backends that end
    are accounted to the postmaster), and of the whole machine (busy = all but idle+iowait)."""
    table = _proc_table()
    snap = {}
    for label, root in groups.items():
        snap[label] = sum(int(table[p][2][11]) + int(table[p][2][12])
                          for p in descendants(root, table)) / TICK
    for label, comm, with_children in (("postgres", "postgres", True), ("redis", "redis-server", False)):
        total = 0
        for _pid, (_ppid, name, fields) in table.items():
            if name == comm:
                total += int(fields[11]) + int(fields[12])
                if with_children:
                    total += int(fields[13]) + int(fields[14])
        snap[label] = total / TICK
    snap["machine_busy"] = machine_busy_seconds()
    return snap


def machine_busy_seconds() -> float:
    with open("/proc/stat") as handle:
        cpu = [int(x) for x in handle.readline().split()[1:]]
    return (sum(cpu[:8]) - cpu[3] - cpu[4]) / TICK


def wait_until_quiet(max_wait: float, threshold_cores: float = 0.3) -> dict:
    """Others share this machine (test suites, dev servers): wait, bounded, for a quiet moment
    before a run, and record how busy it was, so a disturbed run can be recognised."""
    started = time.monotonic()
    while True:
        before = machine_busy_seconds()
        time.sleep(2.0)
        busy = (machine_busy_seconds() - before) / 2.0
        waited = time.monotonic() - started
        if busy < threshold_cores or waited >= max_wait:
            return {"busy_cores_before": round(busy, 2), "waited_s": round(waited, 1),
                    "quiet": busy < threshold_cores}


def cpu_delta(before: dict, after: dict) -> dict:
    return {key: after[key] - before[key] for key in before}


# --------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------

class Database:
    """Template + fresh copies. sqlite: a file; postgres: CREATE DATABASE ... TEMPLATE."""

    def __init__(self, kind: str, work_dir: Path, pg_url: str):
        self.kind = kind
        self.work_dir = work_dir
        self.pg_url = pg_url.rstrip("/")
        self.pg_server, _slash, self.pg_name = self.pg_url.rpartition("/")
        self.pg_template = self.pg_name + "_tpl"
        self.template_dir = work_dir / f"template-{kind}"

    def url_for(self, var_dir: Path) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{var_dir / 'postdesk.sqlite3'}"
        return self.pg_url

    def _admin(self):
        import psycopg

        return psycopg.connect(self.pg_server + "/postgres", autocommit=True)

    def prepare_template(self, env: dict) -> float:
        started = time.monotonic()
        self.template_dir.mkdir(parents=True, exist_ok=True)
        env = dict(env, POSTDESK_VAR_DIR=str(self.template_dir))
        if self.kind == "sqlite":
            env["DATABASE_URL"] = self.url_for(self.template_dir)
        else:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_template}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.pg_template}"')
            env["DATABASE_URL"] = f"{self.pg_server}/{self.pg_template}"
        subprocess.run([postdesk_bin(), "migrate", "--no-input", "-v", "0"], env=env, check=True,
                       cwd=self.template_dir)
        return time.monotonic() - started

    def fresh_copy(self, var_dir: Path) -> None:
        if self.kind == "sqlite":
            # migrate exited, so its WAL was checkpointed into the main file.
            shutil.copyfile(self.template_dir / "postdesk.sqlite3", var_dir / "postdesk.sqlite3")
            return
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{self.pg_template}"')

    def counts(self, var_dir: Path) -> dict:
        queries = {
            "cases": "SELECT count(*) FROM cases_case",
            "customers": "SELECT count(*) FROM cases_customer",
            "receipts": "SELECT count(*) FROM cases_inboundreceipt",
        }
        status_sql = "SELECT status, count(*) FROM notifications_outboundemail GROUP BY status"
        if self.kind == "sqlite":
            conn = sqlite3.connect(var_dir / "postdesk.sqlite3")
            try:
                out = {k: conn.execute(q).fetchone()[0] for k, q in queries.items()}
                out["outbox"] = dict(conn.execute(status_sql).fetchall())
            finally:
                conn.close()
            return out
        import psycopg

        with psycopg.connect(self.pg_url) as conn:
            out = {k: conn.execute(q).fetchone()[0] for k, q in queries.items()}
            out["outbox"] = dict(conn.execute(status_sql).fetchall())
        return out

    def version(self) -> str:
        if self.kind == "sqlite":
            return sqlite3.sqlite_version
        with self._admin() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    def drop_all(self) -> None:
        if self.kind == "postgres":
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_template}" WITH (FORCE)')


# --------------------------------------------------------------------------------------------
# One stack: SMTP sink + worker + web server on a fresh database
# --------------------------------------------------------------------------------------------

class Stack:
    def __init__(self, db: Database, *, run_dir: Path, port: int, web_workers: int,
                 redis_url: str, extra_env: dict, server: str = "postdesk"):
        self.db = db
        self.server = server
        self.run_dir = run_dir
        self.var_dir = run_dir / "var"
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.web_workers = web_workers
        self.redis_url = redis_url if db.kind == "postgres" else ""
        self.extra_env = extra_env
        self.sink_file = run_dir / "smtp-arrivals.jsonl"
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def env(self, smtp_port: int) -> dict:
        env = {k: v for k, v in os.environ.items() if k in SINK_CLEAN_ENV}
        env.update({
            "DJANGO_SETTINGS_MODULE": "postdesk.config.settings",
            "POSTDESK_VAR_DIR": str(self.var_dir),
            "POSTDESK_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": self.db.url_for(self.var_dir),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "POSTDESK_BASE_URL": self.base,
        })
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        env.update(self.extra_env)
        return env

    def _spawn(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        path = self.run_dir / f"{name}.log"
        self.logs[name] = path
        handle = open(path, "w")
        # Own session: stopping it reaches uvicorn's worker processes too, by this group id only.
        process = subprocess.Popen(argv, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                   cwd=self.run_dir, start_new_session=True)
        handle.close()
        self.processes[name] = process
        return process

    def start(self) -> None:
        self.var_dir.mkdir(parents=True)
        self.db.fresh_copy(self.var_dir)
        if self.redis_url:
            import redis

            client = redis.Redis.from_url(self.redis_url)
            client.flushdb()
            client.close()
        smtp_port = free_port()
        sink = self._spawn("smtp-sink", [sys.executable, str(BENCH_DIR / "email_delay.py"), "sink",
                                         "--port", str(smtp_port), "--out", str(self.sink_file)],
                           dict(os.environ))
        self._wait_log(sink, "smtp-sink", "READY", 20)
        env = self.env(smtp_port)
        self._spawn("worker", [postdesk_bin(), "worker"], env)
        if self.server == "gunicorn-wsgi":
            # Not how Postdesk ships: the peer's server (sync workers on the WSGI app), to
            # separate the cost of the server from the cost of the application.
            argv = [sys.executable, "-m", "gunicorn", "postdesk.config.wsgi:application",
                    "--workers", str(self.web_workers), "--bind", f"127.0.0.1:{self.port}",
                    "--timeout", "120", "--backlog", "2048",
                    "--control-socket", str(self.run_dir / "gunicorn.ctl")]
        else:
            argv = [postdesk_bin(), "web", "--host", "127.0.0.1", "--port", str(self.port),
                    "--workers", str(self.web_workers)]
        self._spawn("web", argv, env)
        # A loaded machine (others' work on the same cores) can take minutes to start the workers.
        self._wait_http(web_submit.TOPIC_PATH, 240)
        # The first request of each uvicorn worker imports templates and opens connections;
        # the benchmark's warm-up covers that, this only proves every worker answers.
        time.sleep(1.0)

    def _wait_log(self, process, name: str, marker: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited early:\n{self.logs[name].read_text()[-2000:]}")
            if marker in self.logs[name].read_text():
                return
            time.sleep(0.1)
        raise RuntimeError(f"{name} not ready after {timeout} s")

    def _wait_http(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in ("web", "worker"):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{self.logs[name].read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("web server not ready after {} s:\n{}".format(
            timeout, self.logs["web"].read_text()[-3000:]))

    def cpu_groups(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}

    def web_worker_pids(self) -> list[int]:
        table = _proc_table()
        pids = []
        for pid in descendants(self.processes["web"].pid, table):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            # uvicorn's workers are spawned processes; gunicorn's are forks of the master.
            if b"spawn_main" in cmdline or (self.server == "gunicorn-wsgi" and table[pid][0] ==
                                            self.processes["web"].pid):
                pids.append(pid)
        return sorted(pids)

    def stop(self) -> None:
        # Web first (no new work), then the worker, then the sink that records its mail.
        for name in ("web", "worker", "smtp-sink"):
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, 15)
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
            except ProcessLookupError:
                pass

    def log_problems(self) -> dict:
        """Counts of error-ish lines in the server logs, with the first few distinct ones."""
        out = {}
        for name in ("web", "worker"):
            path = self.logs.get(name)
            if path is None or not path.exists():
                continue
            lines = path.read_text(errors="replace").splitlines()
            bad = [ln for ln in lines if any(w in ln for w in ("ERROR", "CRITICAL", "Traceback", "WARNING"))]
            distinct = list(dict.fromkeys(ln[:300] for ln in bad))
            # The last line of each traceback names the exception: that is the cause to report.
            exceptions: dict[str, int] = {}
            in_traceback = False
            for line in lines:
                if line.startswith("Traceback"):
                    in_traceback = True
                elif in_traceback and line and not line.startswith((" ", "\t")) and not line.startswith(
                        ("During handling", "The above exception")):
                    exceptions[line[:300]] = exceptions.get(line[:300], 0) + 1
                    in_traceback = False
            out[name] = {"lines": len(bad), "first": distinct[:8], "exceptions": exceptions, "log": str(path)}
        return out


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------

def load_run(db: Database, args, *, conc: int, repeat: int, pool: list[dict], root: Path,
             profile_seconds: float = 0.0) -> dict:
    tag = f"{db.kind}-c{conc}-r{repeat}" + ("-profile" if profile_seconds else "")
    stack = Stack(db, run_dir=root / tag, port=args.port, web_workers=args.web_workers,
                  redis_url=args.redis_url, extra_env=args.extra_env, server=args.server)
    quiet = wait_until_quiet(args.quiet_wait)
    row = {"tag": tag, "db": db.kind, "concurrency": conc, "server": args.server, "code": code_state(), "web_workers": args.web_workers,
           "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "loadavg_before": os.getloadavg(),
           "before": quiet}
    try:
        stack.start()
        groups = stack.cpu_groups()
        spy = None
        if profile_seconds:
            spy = start_py_spy(stack, root / f"{tag}.pyspy.txt", profile_seconds, args.warmup)
        stats, window = asyncio.run(web_submit.drive(
            stack.base, concurrency=conc, duration=args.duration if not profile_seconds else profile_seconds + 2,
            warmup=args.warmup, pool=pool, run_tag=f"{db.kind[0]}{conc}r{repeat}",
            max_submissions=args.max_submissions,
            on_window_start=lambda: cpu_snapshot(groups), on_window_end=lambda: cpu_snapshot(groups),
        ))
        if spy is not None:
            row["profile"] = finish_py_spy(spy, root / f"{tag}.pyspy.txt", tag)
        expected = stats.ok + stats.warmup_ok
        arrivals, waited = email_delay.wait_for_arrivals(
            str(stack.sink_file), expected=expected, key=lambda r: tuple(r["rcpt"]), timeout=args.drain_timeout)
        row["email_under_load"] = email_delay.match_by_recipient(stats.submitted, arrivals)
        row["email_under_load"]["drain_wait_s"] = waited
    finally:
        stack.stop()
    row.update(web_submit.summarize(stats, window))
    cpu = cpu_delta(window["cpu_before"], window["cpu_after"])
    ok = max(stats.ok, 1)
    row["cpu_s"] = cpu
    row["server_cpu_ms_per_submission"] = 1000 * cpu["web"] / ok
    row["web_and_worker_cpu_ms_per_submission"] = 1000 * (cpu["web"] + cpu["worker"]) / ok
    row["postgres_cpu_ms_per_submission"] = 1000 * cpu["postgres"] / ok
    accounted = sum(cpu[k] for k in ("web", "worker", "smtp-sink", "postgres", "redis")) + window["loadgen_cpu_s"]
    # Anything else busy on the machine during the window (other people's tests, say).
    row["other_cpu_s"] = cpu["machine_busy"] - accounted
    row["db_counts_after"] = db.counts(stack.var_dir)
    row["db_cases_expected"] = stats.ok + stats.warmup_ok
    row["log_problems"] = stack.log_problems()
    row["run_dir"] = str(stack.run_dir)
    lt = row["latency_total"] or {}
    log("{tag}: {rate:.1f} subs/s, ok {ok}, errors {err}, GET+POST p50/p95/p99 {p50:.0f}/{p95:.0f}/{p99:.0f} ms, "
        "web CPU {cpu:.1f} ms/sub, cases {cases}/{exp}, emails {mail}/{subs}, other CPU {other:.1f} s".format(
            tag=tag, rate=row["submissions_per_s"], ok=stats.ok, err=row["error_count"],
            p50=lt.get("p50_ms", 0), p95=lt.get("p95_ms", 0), p99=lt.get("p99_ms", 0),
            cpu=row["server_cpu_ms_per_submission"], cases=row["db_counts_after"]["cases"],
            exp=row["db_cases_expected"], mail=row["email_under_load"]["delivered_all"],
            subs=row["email_under_load"]["submitted_all"], other=row["other_cpu_s"]))
    return row


def email_run(db: Database, args, *, pool: list[dict], root: Path) -> dict:
    tag = f"{db.kind}-email"
    stack = Stack(db, run_dir=root / tag, port=args.port, web_workers=args.web_workers,
                  redis_url=args.redis_url, extra_env=args.extra_env, server=args.server)
    quiet = wait_until_quiet(args.quiet_wait)
    row = {"tag": tag, "db": db.kind, "server": args.server, "code": code_state(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
           "loadavg_before": os.getloadavg(), "before": quiet}
    key = lambda r: r["case"]  # noqa: E731
    try:
        stack.start()
        # Warm-up: every uvicorn worker and worker thread has run once before timing starts.
        warm, warm_errors = asyncio.run(email_delay.paced_submissions(
            stack.base, pool, tag=f"{db.kind[0]}ew", gaps=[0.1] * 10))
        email_delay.wait_for_arrivals(str(stack.sink_file), expected=len(warm), key=key, timeout=30)
        phases = {
            "steady": [0.0] + [1.0 / args.email_rate] * (args.email_count - 1),
            "sparse": SPARSE_GAPS_QUICK if args.quick else SPARSE_GAPS,
        }
        seen = len(warm)
        for phase, gaps in phases.items():
            log(f"{tag}: {phase} phase, {len(gaps)} submissions over {sum(gaps):.0f} s")
            submissions, errors = asyncio.run(email_delay.paced_submissions(
                stack.base, pool, tag=f"{db.kind[0]}e{phase[:2]}", gaps=gaps))
            arrivals, waited = email_delay.wait_for_arrivals(
                str(stack.sink_file), expected=seen + len(submissions), key=key, timeout=args.drain_timeout)
            seen += len(submissions)
            result = email_delay.match_by_case(submissions, arrivals)
            result.update({"errors": errors, "rate_per_s": None if phase == "sparse" else args.email_rate,
                           "gaps_s": gaps if phase == "sparse" else None, "drain_wait_s": waited})
            row[phase] = result
            d = result["delay_from_submit"] or {}
            log("{}: {} delivered {}/{}, delay from submit p50/p99/max {:.0f}/{:.0f}/{:.0f} ms".format(
                tag, phase, result["delivered"], result["submitted"], d.get("p50_ms", 0),
                d.get("p99_ms", 0), d.get("max_ms", 0)))
    finally:
        stack.stop()
    row["warmup_errors"] = warm_errors
    row["log_problems"] = stack.log_problems()
    row["db_counts_after"] = db.counts(stack.var_dir)
    row["run_dir"] = str(stack.run_dir)
    return row


# --------------------------------------------------------------------------------------------
# Profiling one web worker with py-spy (optional)
# --------------------------------------------------------------------------------------------

def start_py_spy(stack: Stack, out: Path, seconds: float, delay: float):
    spy_bin = Path(sys.executable).parent / "py-spy"
    if not spy_bin.exists():
        raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")
    pids = stack.web_worker_pids()
    if not pids:
        raise RuntimeError("no uvicorn worker process found to profile")
    # Start after the warm-up; --nonblocking keeps the sampled worker running at full speed.
    argv = [str(spy_bin), "record", "--pid", str(pids[0]), "--duration", str(int(seconds)),
            "--rate", "200", "--nonblocking", "--gil", "--nolineno", "--format", "raw", "--output", str(out)]
    return subprocess.Popen(["sh", "-c", f'sleep {delay} && exec "$@"', "py-spy", *argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish_py_spy(spy, raw_path: Path, tag: str) -> dict:
    _out, err = spy.communicate(timeout=120)
    if spy.returncode != 0 or not raw_path.exists():
        return {"error": err.decode(errors="replace")[-2000:]}
    summary = summarize_profile(raw_path)
    text_path = RESULTS_DIR / f"profile-{tag}.txt"
    text_path.write_text(render_profile(summary, tag))
    # The collapsed stacks (about 1 MB) stay in the run directory: see them with --keep.
    return {"summary_file": str(text_path.relative_to(REPO_DIR)), "samples": summary["samples"],
            "collapsed_stacks": str(raw_path)}


def summarize_profile(raw_path: Path) -> dict:
    """Inclusive and self sample counts per function from py-spy's collapsed stacks."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in raw_path.read_text().splitlines():
        stack, _space, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        total += n
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + n
        if frames:
            own[frames[-1]] = own.get(frames[-1], 0) + n
    return {"samples": total, "inclusive": inclusive, "self": own}


def render_profile(summary: dict, tag: str) -> str:
    total = max(summary["samples"], 1)

    def short(frame: str) -> str:
        name, _sp, where = frame.partition(" (")
        where = where.rstrip(")")
        for marker in ("site-packages/", "/src/", "/lib/python3"):
            if marker in where:
                where = where.split(marker, 1)[1]
                break
        return f"{name} ({where})"

    lines = [f"py-spy profile of one uvicorn worker, run {tag}: {summary['samples']} active samples",
             "(share of samples where a thread of the worker held the GIL, i.e. ran Python; GET and POST together)", "",
             "inclusive %  function"]
    for frame, n in sorted(summary["inclusive"].items(), key=lambda kv: -kv[1])[:70]:
        lines.append(f"{100 * n / total:10.1f}  {short(frame)}")
    lines += ["", "self %      function"]
    for frame, n in sorted(summary["self"].items(), key=lambda kv: -kv[1])[:40]:
        lines.append(f"{100 * n / total:10.1f}  {short(frame)}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Aggregation and report
# --------------------------------------------------------------------------------------------

def med_min_max(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def aggregate(runs: list[dict]) -> dict:
    agg: dict[str, dict] = {}
    for db in sorted({r["db"] for r in runs}):
        for conc in sorted({r["concurrency"] for r in runs if r["db"] == db}):
            rs = [r for r in runs if r["db"] == db and r["concurrency"] == conc]
            entry = {
                "submissions_per_s": med_min_max([r["submissions_per_s"] for r in rs]),
                "errors": med_min_max([r["error_count"] for r in rs]),
                "server_cpu_ms_per_submission": med_min_max([r["server_cpu_ms_per_submission"] for r in rs]),
                "web_and_worker_cpu_ms_per_submission": med_min_max(
                    [r["web_and_worker_cpu_ms_per_submission"] for r in rs]),
                "postgres_cpu_ms_per_submission": med_min_max([r["postgres_cpu_ms_per_submission"] for r in rs]),
                "email_under_load_p99_ms": med_min_max(
                    [(r["email_under_load"]["window_delay_from_submit"] or {}).get("p99_ms") for r in rs]),
            }
            for kind in ("latency_total", "latency_post", "latency_get"):
                for p in ("p50_ms", "p95_ms", "p99_ms"):
                    entry[f"{kind}_{p}"] = med_min_max([(r[kind] or {}).get(p) for r in rs])
            agg.setdefault(db, {})[str(conc)] = entry
    return agg


def peer_figures() -> tuple[dict, str]:
    figures = {}
    for db in ("sqlite", "postgres"):
        path = PEER_RESULTS / f"web-summary-{db}.json"
        if path.exists():
            figures[db] = json.loads(path.read_text())["agg"]
    if figures:
        return figures, f"peer JSON: {PEER_RESULTS}"
    quoted = {"postgres": {str(c): {"submissions_per_s": {"median": v["submissions_per_s"]},
                                    "latency_total_p99_ms": {"median": v["total_p99_ms"]}}
                           for (_db, c), v in PEER_QUOTED.items()}}
    return quoted, "peer figures quoted in the issue (peer JSON not found)"


def _m(entry: dict | None, key: str, fmt: str = "{:.0f}") -> str:
    value = (entry or {}).get(key)
    if not value:
        return "–"
    text = fmt.format(value["median"])
    if value.get("n", 1) > 1 and fmt.format(value["min"]) != fmt.format(value["max"]):
        text += f" ({fmt.format(value['min'])}–{fmt.format(value['max'])})"
    return text


def render_markdown(report: dict) -> str:
    agg, peer = report["agg"], report["peer"]
    a = report["args"]
    lines = [
        "# Postdesk benchmark: web-form submissions and confirmation-email delay", "",
        f"Measured {report['when']} on {report['machine']['nproc']} CPUs ({report['machine'].get('cpu_model')}), "
        f"Python {report['machine']['python']}, SQLite {report['versions'].get('sqlite', '–')}, "
        f"PostgreSQL {report['versions'].get('postgres', '–')}. Command: `{report['command']}`.", "",
        ("Server: `postdesk web --workers {}` (Granian, ASGI, POSTDESK_DEBUG=0)".format(a["web_workers"])
         if a.get("server", "postdesk") == "postdesk" else
         "Server: **gunicorn {} sync workers on the WSGI app** (not how Postdesk ships; for comparison), "
         "POSTDESK_DEBUG=0".format(a["web_workers"]))
        + (", settings " + ", ".join(f"`{k}={v}`" for k, v in a["extra_env"].items()) if a.get("extra_env") else "")
        + " plus "
        "`postdesk worker` (Huey: SQLite storage for the sqlite runs, Redis for the postgres runs) sending "
        "to an SMTP sink on 127.0.0.1; load generator (asyncio + httpx) on the same machine. "
        f"Each run: fresh database, {a['warmup']:g} s warm-up, {a['duration']:g} s measured; "
        f"{a['repeat']} run(s) per row, median (min–max). Peer: django-helpdesk 2.6.1, gunicorn 2 sync "
        f"workers, same GET→POST loop ({report['peer_source']}).", "",
        "## Web form: GET the form, POST it (closed loop, no think time)", "",
        "| DB | C | Postdesk subs/s | peer subs/s | × peer | GET+POST p50 / p95 / p99 ms | peer p50 / p95 / p99 | "
        "POST p50 / p99 ms | peer POST p50 / p99 | errors | web CPU ms/sub | web+worker CPU ms/sub | peer CPU ms/sub |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for db, by_conc in agg.items():
        for conc, e in by_conc.items():
            p = (peer.get(db) or {}).get(conc)
            ours = e["submissions_per_s"]["median"]
            theirs = ((p or {}).get("submissions_per_s") or {}).get("median")
            ratio = f"{ours / theirs:.1f}×" if theirs else "–"
            lines.append(
                f"| {db} | {conc} | **{_m(e, 'submissions_per_s', '{:.1f}')}** | {_m(p, 'submissions_per_s', '{:.1f}')} "
                f"| {ratio} | {_m(e, 'latency_total_p50_ms')} / {_m(e, 'latency_total_p95_ms')} / "
                f"**{_m(e, 'latency_total_p99_ms')}** | {_m(p, 'latency_total_p50_ms')} / "
                f"{_m(p, 'latency_total_p95_ms')} / {_m(p, 'latency_total_p99_ms')} | "
                f"{_m(e, 'latency_post_p50_ms')} / {_m(e, 'latency_post_p99_ms')} | "
                f"{_m(p, 'latency_post_p50_ms')} / {_m(p, 'latency_post_p99_ms')} | {_m(e, 'errors')} | "
                f"{_m(e, 'server_cpu_ms_per_submission', '{:.1f}')} | "
                f"{_m(e, 'web_and_worker_cpu_ms_per_submission', '{:.1f}')} | "
                f"{_m(p, 'server_cpu_ms_per_submission', '{:.1f}')} |")
    lines += ["", "Peer CPU ms/sub is gunicorn's, which also rendered and wrote each acknowledgement mail "
              "in the request; Postdesk renders it in the request and sends it from the worker, hence "
              "the web+worker column.", ""]
    if report["emails"]:
        lines += ["## Confirmation email: submit → arrival at the SMTP server on 127.0.0.1", "",
                  "| DB | phase | delivered / submitted | from submit p50 / p99 / max ms | "
                  "from POST answer p50 / p99 ms | errors |", "|---|---|---|---|---|---|"]
        for row in report["emails"]:
            for phase in ("steady", "sparse"):
                r = row.get(phase)
                if not r:
                    continue
                d, da = r["delay_from_submit"] or {}, r["delay_from_post_answer"] or {}
                attempted = r["submitted"] + sum(r["errors"].values())
                what = (f"steady, {attempted} at {r['rate_per_s']:g}/s" if phase == "steady"
                        else "sparse, after idle gaps of " + ", ".join(f"{g:g}" for g in r["gaps_s"]) + " s")
                lines.append(
                    f"| {row['db']} | {what} | {r['delivered']} / {r['submitted']} | "
                    f"{d.get('p50_ms', 0):.0f} / **{d.get('p99_ms', 0):.0f}** / {d.get('max_ms', 0):.0f} | "
                    f"{da.get('p50_ms', 0):.0f} / {da.get('p99_ms', 0):.0f} | "
                    f"{sum(r['errors'].values())} |")
        lines.append("")
    under_load = [(db, conc, e["email_under_load_p99_ms"]) for db, by in agg.items() for conc, e in by.items()]
    if any(v for *_x, v in under_load):
        lines += ["Under load (the web runs above; every submission's email matched by its unique "
                  "recipient): email delay p99 from submit " + "; ".join(
                      f"{db} C={conc}: {v['median'] / 1000:.1f} s" for db, conc, v in under_load if v) + ".", ""]
    lines += ["## Against the target", ""]
    for check in report["target_checks"]:
        lines.append(f"- {check}")
    lines += ["", "## Runs", "", "| run | subs/s | errors | cases in DB / expected | emails delivered | "
              "other CPU on the machine in window (s) | busy cores just before | code (HEAD, uncommitted src files) |",
              "|---|---|---|---|---|---|---|---|"]
    for r in report["runs"]:
        lines.append(
            f"| {r['tag']} | {r['submissions_per_s']:.1f} | {r['error_count']} | "
            f"{r['db_counts_after']['cases']} / {r['db_cases_expected']} | "
            f"{r['email_under_load']['delivered_all']} / {r['email_under_load']['submitted_all']} | "
            f"{r['other_cpu_s']:.1f} | {r['before']['busy_cores_before']:.2f} | "
            f"{(r.get('code') or {}).get('head')}, {(r.get('code') or {}).get('src_uncommitted_files')} |")
    lines.append("")
    return "\n".join(lines)


def target_checks(agg: dict, peer: dict, emails: list[dict]) -> list[str]:
    checks = []
    e = (agg.get("postgres") or {}).get("32")
    p = (peer.get("postgres") or {}).get("32")
    if e and p:
        ours, theirs = e["submissions_per_s"]["median"], p["submissions_per_s"]["median"]
        need = TARGET["ratio_at_32_postgres"] * theirs
        p99 = e["latency_total_p99_ms"]["median"]
        checks.append(f"PostgreSQL, C=32: {ours:.1f} subs/s = {ours / theirs:.1f}× the peer's {theirs:.1f} "
                      f"(target ≥ {TARGET['ratio_at_32_postgres']:g}× = {need:.0f}/s): "
                      f"**{'met' if ours >= need else 'not met'}**.")
        checks.append(f"PostgreSQL, C=32: GET+POST p99 {p99:.0f} ms (target < {TARGET['p99_ms_at_32_postgres']:g} ms): "
                      f"**{'met' if p99 < TARGET['p99_ms_at_32_postgres'] else 'not met'}**.")
    for row in emails:
        for phase in ("steady", "sparse"):
            r = row.get(phase)
            if r and r["delay_from_submit"]:
                p99 = r["delay_from_submit"]["p99_ms"] / 1000
                ok = p99 < TARGET["email_p99_s"] and r["missing"] == 0
                checks.append(f"{row['db']}, {phase}: confirmation email p99 {p99:.2f} s, "
                              f"{r['missing']} missing (target < {TARGET['email_p99_s']:g} s): "
                              f"**{'met' if ok else 'not met'}**.")
    return checks


def code_state() -> dict:
    """Which code a run measured: others edit src/ while benchmarks run, and every run starts
    fresh server processes, so this is recorded per run."""
    def git(*argv):
        try:
            return subprocess.run(["git", *argv], cwd=REPO_DIR, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
    changed = git("status", "--porcelain", "--", "src")
    return {"head": git("rev-parse", "--short", "HEAD"),
            "src_uncommitted_files": len(changed.splitlines()) if changed else 0}


def machine_info() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        models = [ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")]
        info["cpu_model"] = models[0] if models else None
    except OSError:
        pass
    for module in ("django", "uvicorn", "huey", "psycopg", "httpx", "aiosmtpd", "redis"):
        try:
            from importlib.metadata import version

            info[f"{module}_version"] = version(module)
        except Exception:  # noqa: BLE001 - reporting only
            info[f"{module}_version"] = None
    return info


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres", help="comma list of sqlite, postgres")
    parser.add_argument("--concurrency", default="8,32", help="comma list of virtual users")
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=2, help="runs per (db, concurrency), as the peer")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--server", choices=["postdesk", "gunicorn-wsgi"], default="postdesk",
                        help="postdesk: `postdesk web` (Granian, ASGI), as shipped; gunicorn-wsgi: "
                             "the peer's server on our WSGI app, for comparison only")
    parser.add_argument("--port", type=int, default=0, help="web port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--max-submissions", type=int, default=100_000, help="hard cap per run")
    parser.add_argument("--email-count", type=int, default=200)
    parser.add_argument("--email-rate", type=float, default=20.0, help="submissions/s in the steady email phase")
    parser.add_argument("--no-email", action="store_true", help="skip the email-delay runs")
    parser.add_argument("--drain-timeout", type=float, default=90.0,
                        help="seconds to wait for outstanding confirmation emails after a run")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL",
                                                           "postgres://postgres@127.0.0.1:5432/postdesk_bench"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra setting for web and worker (e.g. DB_CONN_MAX_AGE=60); repeatable")
    parser.add_argument("--profile", type=float, default=0.0, metavar="SECONDS",
                        help="also run C=32 once per DB with py-spy on one web worker for SECONDS")
    parser.add_argument("--quiet-wait", type=float, default=20.0, metavar="SECONDS",
                        help="before each run, wait up to this long for other processes to go quiet")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 s windows, 1 repeat, 40 emails")
    parser.add_argument("--label", default="", help="suffix for the result file names")
    parser.add_argument("--keep", action="store_true", help="keep the /tmp run directories")
    parser.add_argument("--render", metavar="JSON", help="only print the markdown report of a results JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.repeat = 5.0, 1.0, 1
        args.email_count = 40
        args.quiet_wait = min(args.quiet_wait, 5.0)
    args.dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    for d in args.dbs:
        if d not in ("sqlite", "postgres"):
            parser.error(f"unknown --db {d!r}")
    args.concurrencies = [int(c) for c in args.concurrency.split(",") if c.strip()]
    args.extra_env = {}
    for item in args.env:
        key, eq, value = item.partition("=")
        if not eq:
            parser.error(f"--env wants KEY=VALUE, got {item!r}")
        args.extra_env[key] = value
    if not args.redis_url.rstrip("/").endswith("/15") and "BENCH_REDIS_URL" not in os.environ:
        parser.error("the benchmark flushes its Redis database; use db 15 or set BENCH_REDIS_URL")
    host_ok = ("@127.0.0.1", "@localhost", "//127.0.0.1", "//localhost")
    if not any(h in args.pg_url for h in host_ok) or not any(h in args.redis_url for h in host_ok):
        parser.error("the benchmark only talks to 127.0.0.1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.render:
        print(render_markdown(json.loads(Path(args.render).read_text())))
        return 0
    if args.port == 0:
        args.port = free_port()
    RESULTS_DIR.mkdir(exist_ok=True)
    pool, pool_source = web_submit.text_pool()
    root = Path(tempfile.mkdtemp(prefix="postdesk-bench-"))
    started = time.monotonic()
    log(f"run dirs under {root}; text pool: {pool_source}")
    runs, emails, versions = [], [], {}
    try:
        for kind in args.dbs:
            db = Database(kind, root, args.pg_url)
            versions[kind] = db.version()
            took = db.prepare_template(Stack(db, run_dir=root, port=0, web_workers=1,
                                             redis_url=args.redis_url, extra_env=args.extra_env).env(25))
            log(f"{kind}: template migrated in {took:.1f} s")
            for conc in args.concurrencies:
                for repeat in range(1, args.repeat + 1):
                    runs.append(load_run(db, args, conc=conc, repeat=repeat, pool=pool, root=root))
            if not args.no_email:
                emails.append(email_run(db, args, pool=pool, root=root))
            if args.profile:
                row = load_run(db, args, conc=32, repeat=1, pool=pool, root=root, profile_seconds=args.profile)
                log(f"{kind}: profile {row.get('profile')}")
                runs.append(row)
            db.drop_all()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    measured = [r for r in runs if "profile" not in r]
    agg = aggregate(measured)
    peer, peer_source = peer_figures()
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "command": " ".join(["bench/run.py", *sys.argv[1:]]),
        "args": {k: v for k, v in vars(args).items() if k not in ("env",)},
        "machine": machine_info(), "versions": versions, "text_pool": pool_source,
        "peer_source": peer_source, "peer": peer, "agg": agg, "runs": runs, "emails": emails,
        "elapsed_s": time.monotonic() - started,
    }
    report["target_checks"] = target_checks(agg, peer, emails)
    stamp = time.strftime("%Y%m%d-%H%M%S") + (f"-{args.label}" if args.label else "")
    (RESULTS_DIR / f"{stamp}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    markdown = render_markdown(report)
    (RESULTS_DIR / f"{stamp}.md").write_text(markdown)
    if not args.label:
        (RESULTS_DIR / "latest.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
        (RESULTS_DIR / "latest.md").write_text(markdown)
    print(markdown)
    log(f"wrote {RESULTS_DIR / stamp}.{{json,md}} in {report['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
