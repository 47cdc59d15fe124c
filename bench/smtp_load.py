"""SMTP intake load: messages accepted per second by ``postdesk smtpd``, and the delay from each
message's 250 to its row being on its case.

Called by ``bench/ingest.py`` (which starts ``postdesk smtpd`` + ``postdesk worker`` on a fresh
database for each phase), or standalone against a server that is already running:

    .venv/bin/python bench/smtp_load.py --port 2525 --corpus /tmp/postdesk-bench-corpus/n10000-s42 \\
        --concurrency 8 --duration 10
    .venv/bin/python bench/smtp_load.py --port 2525 --corpus ... --rate 50 --seconds 20 \\
        --database-url sqlite:////path/to/var/postdesk.sqlite3

The client is a minimal asyncio SMTP client (aiosmtplib is not installed; smtplib in threads
would spend the client's share of the 2 cores on the GIL): one connection per virtual client,
EHLO once, then MAIL / RCPT / DATA per message, like a relay that keeps its connection open.
Messages are the corpus's .eml files in file order, CRLF line endings, dot-stuffed. Only
127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import resource
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

RECIPIENT = b"kundenservice@post.example"
POLL_SECONDS = 0.02


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------

@dataclass
class Outgoing:
    mail_from: bytes
    message_id: str
    data: bytes  # CRLF, dot-stuffed, ending in CRLF.CRLF


def to_smtp_data(raw: bytes) -> bytes:
    data = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data + b".\r\n"


def load_messages(corpus: Path, limit: int | None = None) -> list[Outgoing]:
    out = []
    with open(corpus / "manifest.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            raw = (corpus / "mail" / row["file"]).read_bytes()
            out.append(Outgoing(row["from_addr"].encode(), row["message_id"], to_smtp_data(raw)))
            if limit and len(out) >= limit:
                break
    return out


def renamed(message: Outgoing, round_no: int) -> Outgoing:
    """The same message again with a new Message-ID (the load phase may outrun the corpus)."""
    if round_no == 0:
        return message
    new_id = message.message_id.replace("<", f"<r{round_no}.", 1)
    data = message.data.replace(b"\r\nMessage-ID: " + message.message_id.encode(),
                                b"\r\nMessage-ID: " + new_id.encode(), 1)
    return Outgoing(message.mail_from, new_id, data)


# --------------------------------------------------------------------------------------------
# A minimal SMTP client
# --------------------------------------------------------------------------------------------

class SmtpClient:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        code, text = await self._reply()
        if code != 220:
            raise ConnectionError(f"greeting {code} {text!r}")
        code, text = await self._command(b"EHLO bench-client.example")
        if code != 250:
            raise ConnectionError(f"EHLO {code} {text!r}")

    async def _reply(self) -> tuple[int, str]:
        lines = []
        while True:
            line = await self.reader.readline()
            if not line:
                raise ConnectionError("connection closed by server")
            lines.append(line)
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]), b"".join(lines).decode(errors="replace").strip()

    async def _command(self, line: bytes) -> tuple[int, str]:
        self.writer.write(line + b"\r\n")
        await self.writer.drain()
        return await self._reply()

    async def send(self, message: Outgoing) -> tuple[int, str]:
        """MAIL, RCPT, DATA; the code of the first refusal or of the end of DATA."""
        code, text = await self._command(b"MAIL FROM:<" + message.mail_from + b">")
        if code == 250:
            code, text = await self._command(b"RCPT TO:<" + RECIPIENT + b">")
            if code == 250:
                code, text = await self._command(b"DATA")
                if code == 354:
                    self.writer.write(message.data)
                    await self.writer.drain()
                    return await self._reply()
        await self._command(b"RSET")
        return code, text

    async def close(self) -> None:
        if self.writer is None:
            return
        try:
            await asyncio.wait_for(self._command(b"QUIT"), 2)
        except (OSError, asyncio.TimeoutError, ConnectionError):
            pass
        self.writer.close()


def pct(values, p):
    """Nearest-rank percentile (p in 0..100), as the peer and bench/web_submit.py define it."""
    if not values:
        return None
    v = sorted(values)
    return v[max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))]


def summary_ms(seconds: list[float]) -> dict | None:
    if not seconds:
        return None
    return {"p50_ms": 1000 * pct(seconds, 50), "p95_ms": 1000 * pct(seconds, 95), "p99_ms": 1000 * pct(seconds, 99),
            "max_ms": 1000 * max(seconds), "min_ms": 1000 * min(seconds), "n": len(seconds)}


# --------------------------------------------------------------------------------------------
# Closed loop: C clients back to back
# --------------------------------------------------------------------------------------------

@dataclass
class LoadResult:
    ok: int = 0
    warmup_ok: int = 0
    errors: dict = field(default_factory=dict)
    latency: list = field(default_factory=list)
    accepted_ids: list = field(default_factory=list)


async def closed_loop(host: str, port: int, messages: list[Outgoing], *, concurrency: int, duration: float,
                      warmup: float, on_window_start=None, on_window_end=None) -> tuple[LoadResult, dict]:
    result = LoadResult()
    counter = {"next": 0}
    clients = [SmtpClient(host, port) for _ in range(concurrency)]
    await asyncio.gather(*(c.connect() for c in clients))
    t_start = time.perf_counter()
    window = {"start": t_start + warmup, "end": t_start + warmup + duration}
    stop = asyncio.Event()

    def next_message() -> Outgoing:
        k = counter["next"]
        counter["next"] += 1
        return renamed(messages[k % len(messages)], k // len(messages))

    async def user(client: SmtpClient) -> None:
        while not stop.is_set():
            message = next_message()
            t0 = time.perf_counter()
            try:
                code, _text = await client.send(message)
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
                key = type(exc).__name__
                result.errors[key] = result.errors.get(key, 0) + 1
                await asyncio.sleep(0.05)
                try:
                    client.writer.close()
                    await client.connect()
                except (OSError, ConnectionError):
                    pass
                continue
            t1 = time.perf_counter()
            if code == 250:
                result.accepted_ids.append(message.message_id)
            if window["start"] <= t1 < window["end"]:
                if code == 250:
                    result.ok += 1
                    result.latency.append(t1 - t0)
                else:
                    result.errors[str(code)] = result.errors.get(str(code), 0) + 1
            elif t1 < window["start"] and code == 250:
                result.warmup_ok += 1

    tasks = [asyncio.create_task(user(c)) for c in clients]
    await asyncio.sleep(warmup)
    me0 = resource.getrusage(resource.RUSAGE_SELF)
    before = on_window_start() if on_window_start else None
    await asyncio.sleep(max(0.0, window["end"] - time.perf_counter()))
    after = on_window_end() if on_window_end else None
    me1 = resource.getrusage(resource.RUSAGE_SELF)
    stop.set()
    await asyncio.wait(tasks, timeout=60)
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    return result, {"window_s": duration, "cpu_before": before, "cpu_after": after,
                    "client_cpu_s": (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)}


# --------------------------------------------------------------------------------------------
# Open loop at a fixed rate, and the database watcher
# --------------------------------------------------------------------------------------------

class MessageWatcher(threading.Thread):
    """Polls cases_message every 20 ms for the Message-IDs it was told to expect, and notes when
    each first became visible (committed, on its case), in this process's clock, with the row's
    created_at. By Message-ID, not by "id > last seen": the worker's threads commit out of id
    order, so a row with a smaller id can appear after a larger one."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.database_url = database_url
        self.seen: dict[str, tuple[float, float | None]] = {}
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.error: str | None = None
        self._conn = None

    def _connect(self):
        if self.database_url.startswith("sqlite:///"):
            path = self.database_url[len("sqlite:///"):]
            path = path if path.startswith("/") else "/" + path
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5, isolation_level=None,
                                   check_same_thread=False), "?"
        import psycopg

        return psycopg.connect(self.database_url, autocommit=True), "%s"

    def expect(self, message_id: str) -> None:
        with self.lock:
            if message_id not in self.seen:
                self.pending.add(message_id)

    def count(self) -> int:
        """Customer messages in the database now (for the closed-loop phases)."""
        conn, _mark = self._connect()
        try:
            return conn.execute("SELECT count(*) FROM cases_message").fetchone()[0]
        finally:
            conn.close()

    def run(self) -> None:
        try:
            conn, mark = self._connect()
        except Exception as exc:  # noqa: BLE001 - reported with the results
            self.error = f"{type(exc).__name__}: {exc}"
            return
        try:
            while not self.stop_event.is_set():
                with self.lock:
                    waiting = list(self.pending)
                for start in range(0, len(waiting), 500):
                    chunk = waiting[start:start + 500]
                    sql = ("SELECT message_id, created_at FROM cases_message WHERE message_id IN ("
                           + ",".join([mark] * len(chunk)) + ")")
                    rows = conn.execute(sql, chunk).fetchall()
                    now = time.time()
                    with self.lock:
                        for message_id, created in rows:
                            if message_id in self.pending:
                                self.pending.discard(message_id)
                                self.seen[message_id] = (now, _epoch(created))
                self.stop_event.wait(POLL_SECONDS)
        except Exception as exc:  # noqa: BLE001
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()

    def wait_for(self, ids: list[str], timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout and not all(i in self.seen for i in ids):
            time.sleep(0.05)
        return time.monotonic() - started


def _epoch(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.timestamp() if value.tzinfo else value.replace(tzinfo=dt.timezone.utc).timestamp()
    text = str(value).replace("T", " ")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).timestamp()


async def open_loop(host: str, port: int, messages: list[Outgoing], *, rate: float, pool: int = 16,
                    watcher: MessageWatcher | None = None) -> dict:
    """One message every 1/rate s whatever the server does, each on an idle connection of the
    pool; the send lag (actual start - schedule) shows when the pool was exhausted."""
    idle: asyncio.Queue[SmtpClient] = asyncio.Queue()
    for client in [SmtpClient(host, port) for _ in range(pool)]:
        await client.connect()
        idle.put_nowait(client)
    records = []

    async def one(message: Outgoing, scheduled: float) -> None:
        client = await idle.get()
        if watcher is not None:
            watcher.expect(message.message_id)
        t_send = time.time()
        try:
            code, text = await client.send(message)
        except (OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
            code, text = 0, type(exc).__name__
            client = SmtpClient(host, port)
            try:
                await client.connect()
            except (OSError, ConnectionError):
                pass
        t_250 = time.time()
        idle.put_nowait(client)
        records.append({"message_id": message.message_id, "scheduled": scheduled, "t_send": t_send,
                        "t_reply": t_250, "code": code, "text": text if code != 250 else ""})

    t0 = time.time() + 0.2
    tasks = []
    for i, message in enumerate(messages):
        scheduled = t0 + i / rate
        delay = scheduled - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(message, scheduled)))
    await asyncio.gather(*tasks)
    while not idle.empty():
        await idle.get_nowait().close()
    return {"records": records, "started": t0, "ended": time.time()}


def delays(records: list[dict], watcher: MessageWatcher) -> dict:
    ok = [r for r in records if r["code"] == 250]
    seen = [(r, watcher.seen[r["message_id"]]) for r in ok if r["message_id"] in watcher.seen]
    errors: dict[str, int] = {}
    for r in records:
        if r["code"] != 250:
            errors[str(r["code"])] = errors.get(str(r["code"]), 0) + 1
    return {
        "sent": len(records), "accepted": len(ok), "on_case": len(seen), "missing": len(ok) - len(seen),
        "errors": errors,
        "delay": summary_ms([s[0] - r["t_reply"] for r, s in seen]),
        "delay_created_at": summary_ms([s[1] - r["t_reply"] for r, s in seen if s[1] is not None]),
        "smtp_latency": summary_ms([r["t_reply"] - r["t_send"] for r in ok]),
        "send_lag": summary_ms([max(0.0, r["t_send"] - r["scheduled"]) for r in records]),
    }


# --------------------------------------------------------------------------------------------
# The stack: postdesk smtpd + postdesk worker on a fresh database (used by ingest.py)
# --------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpStack:
    def __init__(self, db, *, run_dir: Path, env: dict, redis_url: str, prepare_var=None, workers: int = 1):
        self.db, self.run_dir, self.env, self.redis_url = db, run_dir, env, redis_url
        self.prepare_var = prepare_var
        self.workers = workers
        self.var_dir = Path(env["POSTDESK_VAR_DIR"])
        self.port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def _spawn(self, name: str, argv: list[str]) -> None:
        path = self.run_dir / f"{name}.log"
        self.logs[name] = path
        with open(path, "w") as handle:
            self.processes[name] = subprocess.Popen(argv, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                                                    cwd=self.run_dir, start_new_session=True)

    def start(self) -> None:
        import run as web_bench

        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.db.fresh_copy(self.var_dir)
        if self.prepare_var is not None:
            self.prepare_var(self.db, self.var_dir)
        if self.db.kind == "postgres" and self.redis_url:
            import redis

            client = redis.Redis.from_url(self.redis_url)
            client.flushdb()
            client.close()
        binary = web_bench.postdesk_bin()
        for i in range(1, self.workers + 1):
            self._spawn(f"worker{i}", [binary, "worker"])
        self._spawn("smtpd", [binary, "smtpd", "--host", "127.0.0.1", "--port", str(self.port)])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{self.logs[name].read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"smtpd not listening after 60 s:\n{self.logs['smtpd'].read_text()[-3000:]}")

    def spool_backlog(self) -> int:
        incoming = Path(self.env.get("POSTDESK_SPOOL_DIR") or self.var_dir / "spool") / "incoming"
        try:
            return sum(1 for name in os.listdir(incoming) if name.endswith(".eml"))
        except OSError:
            return -1

    def groups(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes.items()}

    def stop(self) -> None:
        for name in ["smtpd", *(f"worker{i}" for i in range(1, self.workers + 1))]:
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, 15)
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
            except ProcessLookupError:
                pass

    def log_problems(self) -> dict:
        out = {}
        for name, path in self.logs.items():
            lines = path.read_text(errors="replace").splitlines() if path.exists() else []
            bad = [ln for ln in lines if any(w in ln for w in ("ERROR", "CRITICAL", "Traceback", "WARNING"))]
            out[name] = {"lines": len(bad), "first": list(dict.fromkeys(ln[:300] for ln in bad))[:6]}
        return out


def _workers_cpu(cpu: dict) -> float:
    return sum(v for k, v in cpu.items() if k.startswith("worker"))


def _phase_row(db, args, tag: str, code: dict) -> dict:
    import run as web_bench

    quiet = web_bench.wait_until_quiet(args.quiet_wait)
    return {"tag": tag, "db": db.kind, "code": code, "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "loadavg_before": os.getloadavg(), "before": quiet}


def smtp_runs(db, args, *, corpus: Path, root: Path, env_for, code: dict, prepare_var=None) -> dict:
    """For one database: a closed-loop run per concurrency, then the paced run; each on a fresh
    stack (a backlog left by one phase would slow the next)."""
    import run as web_bench

    messages = load_messages(corpus)
    out = {"db": db.kind, "code": code, "corpus": str(corpus)}
    for conc in args.smtp_concurrencies:
        tag = f"{db.kind}-smtp-c{conc}"
        row = _phase_row(db, args, tag, code)
        run_dir = root / tag
        run_dir.mkdir(parents=True)
        stack = SmtpStack(db, run_dir=run_dir, env=env_for(run_dir / "var"), redis_url=args.redis_url, prepare_var=prepare_var)
        watcher = None
        try:
            stack.start()
            watcher = MessageWatcher(db.url_for(stack.var_dir))
            groups = stack.groups()
            marks = {}

            def at_start():
                marks["on_case_start"] = watcher.count()
                return web_bench.cpu_snapshot(groups)

            def at_end():
                marks["on_case_end"] = watcher.count()
                marks["backlog"] = stack.spool_backlog()
                return web_bench.cpu_snapshot(groups)

            result, window = asyncio.run(closed_loop(
                "127.0.0.1", stack.port, messages, concurrency=conc, duration=args.smtp_duration,
                warmup=2.0, on_window_start=at_start, on_window_end=at_end))
        finally:
            if watcher is not None:
                watcher.stop_event.set()
            stack.stop()
        cpu = web_bench.cpu_delta(window["cpu_before"], window["cpu_after"])
        ok = max(result.ok, 1)
        on_case = marks["on_case_end"] - marks["on_case_start"]
        busy = cpu["machine_busy"]
        accounted = cpu["smtpd"] + _workers_cpu(cpu) + cpu["postgres"] + cpu["redis"] + window["client_cpu_s"]
        row.update({
            "concurrency": conc, "window_s": window["window_s"], "accepted": result.ok,
            "accepted_per_s": result.ok / window["window_s"], "warmup_accepted": result.warmup_ok,
            "errors": result.errors, "latency": summary_ms(result.latency),
            "on_case_in_window": on_case, "on_case_per_s": on_case / window["window_s"],
            "spool_backlog": marks["backlog"], "cpu_s": cpu,
            "smtpd_cpu_ms_per_msg": 1000 * cpu["smtpd"] / ok,
            "worker_cpu_ms_per_case_msg": 1000 * _workers_cpu(cpu) / max(on_case, 1),
            "client_cpu_ms_per_msg": 1000 * window["client_cpu_s"] / ok,
            "other_cores": (busy - accounted) / window["window_s"],
            "log_problems": stack.log_problems(), "watcher_error": watcher.error if watcher else None,
        })
        log(f"{tag}: {row['accepted_per_s']:.0f} accepted/s, 250 latency p50/p99 "
            f"{(row['latency'] or {}).get('p50_ms', 0):.0f}/{(row['latency'] or {}).get('p99_ms', 0):.0f} ms, "
            f"errors {sum(result.errors.values())}, on a case during window {on_case} ({row['on_case_per_s']:.0f}/s), "
            f"backlog {row['spool_backlog']}, smtpd CPU {row['smtpd_cpu_ms_per_msg']:.1f} ms/msg, "
            f"other load {row['other_cores']:.2f} cores")
        out[f"c{conc}"] = row

    for workers in args.smtp_paced_workers:
        out["paced" + (f"-w{workers}" if workers != 1 else "")] = paced_phase(
            db, args, messages=messages, root=root, env_for=env_for, code=code, prepare_var=prepare_var,
            workers=workers)
    return out


def paced_phase(db, args, *, messages: list[Outgoing], root: Path, env_for, code: dict, prepare_var,
                workers: int) -> dict:
    """50 messages/s (``--smtp-rate``) on a fresh stack with ``workers`` `postdesk worker`
    processes; the delay from each 250 to the row on its case."""
    import run as web_bench

    tag = f"{db.kind}-smtp-paced" + (f"-w{workers}" if workers != 1 else "")
    row = _phase_row(db, args, tag, code)
    run_dir = root / tag
    run_dir.mkdir(parents=True)
    stack = SmtpStack(db, run_dir=run_dir, env=env_for(run_dir / "var"), redis_url=args.redis_url, prepare_var=prepare_var,
                      workers=workers)
    count = int(args.smtp_rate * args.smtp_paced_seconds)
    warm, measured = messages[:20], messages[20:20 + count]
    watcher = None
    try:
        stack.start()
        watcher = MessageWatcher(db.url_for(stack.var_dir))
        watcher.start()
        # Warm-up: every worker thread has imported, connected and taken in mail once.
        warm_result = asyncio.run(open_loop("127.0.0.1", stack.port, warm, rate=10.0, watcher=watcher))
        watcher.wait_for([r["message_id"] for r in warm_result["records"] if r["code"] == 250], 60)
        groups = stack.groups()
        cpu_before = web_bench.cpu_snapshot(groups)
        me0 = resource.getrusage(resource.RUSAGE_SELF)
        log(f"{tag}: {count} messages at {args.smtp_rate:g}/s")
        paced = asyncio.run(open_loop("127.0.0.1", stack.port, measured, rate=args.smtp_rate, watcher=watcher))
        accepted = [r["message_id"] for r in paced["records"] if r["code"] == 250]
        waited = watcher.wait_for(accepted, 120)
        cpu_after = web_bench.cpu_snapshot(groups)
        me1 = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        if watcher is not None:
            watcher.stop_event.set()
        stack.stop()
    cpu = web_bench.cpu_delta(cpu_before, cpu_after)
    span = paced["ended"] - paced["started"] + waited
    client_cpu = (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)
    row.update(delays(paced["records"], watcher))
    row.update({
        "rate": args.smtp_rate, "count": count, "worker_processes": workers, "window_s": span, "drain_wait_s": waited, "cpu_s": cpu,
        "worker_cpu_ms_per_msg": 1000 * _workers_cpu(cpu) / max(row["on_case"], 1),
        "smtpd_cpu_ms_per_msg": 1000 * cpu["smtpd"] / max(row["accepted"], 1),
        "other_cores": (cpu["machine_busy"] - cpu["smtpd"] - _workers_cpu(cpu) - cpu["postgres"] - cpu["redis"]
                        - client_cpu) / span,
        "log_problems": stack.log_problems(), "watcher_error": watcher.error,
    })
    d = row["delay"] or {}
    log(f"{tag}: on a case {row['on_case']}/{row['accepted']}, 250 → on the case p50/p99/max "
        f"{d.get('p50_ms', 0):.0f}/{d.get('p99_ms', 0):.0f}/{d.get('max_ms', 0):.0f} ms, "
        f"other load {row['other_cores']:.2f} cores")
    return row


# --------------------------------------------------------------------------------------------
# Standalone
# --------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--corpus", required=True, help="a gen_emails.py output folder")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--rate", type=float, help="paced mode: messages per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="paced mode: how long")
    parser.add_argument("--database-url", help="paced mode: where to watch for the messages")
    args = parser.parse_args()
    messages = load_messages(Path(args.corpus))
    if args.rate:
        if not args.database_url:
            parser.error("--rate needs --database-url")
        watcher = MessageWatcher(args.database_url)
        watcher.start()
        count = int(args.rate * args.seconds)
        paced = asyncio.run(open_loop("127.0.0.1", args.port, messages[:count], rate=args.rate, watcher=watcher))
        watcher.wait_for([r["message_id"] for r in paced["records"] if r["code"] == 250], 120)
        watcher.stop_event.set()
        print(json.dumps(delays(paced["records"], watcher), indent=1))
        return 0
    result, window = asyncio.run(closed_loop("127.0.0.1", args.port, messages, concurrency=args.concurrency,
                                             duration=args.duration, warmup=2.0))
    print(json.dumps({"accepted_per_s": result.ok / window["window_s"], "accepted": result.ok,
                      "errors": result.errors, "latency": summary_ms(result.latency),
                      "client_cpu_s": window["client_cpu_s"]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
