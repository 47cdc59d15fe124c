"""``postdesk``: the one command. ``run``, ``web`` and ``worker`` start processes; ``demo`` loads
demo data; every other word is a Django management command (``postdesk migrate``, ...)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["postdesk", *argv])


def _option(argv: list[str], name: str, default: str) -> str:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return default


def web(argv: list[str]) -> int:
    """Pages, the API and chat sockets on one port: Granian serving ``config.asgi`` (ASGI).

    HTTP goes to Django's WSGI handler on a fixed pool of ``--threads`` threads inside each
    worker (a2wsgi), so every thread keeps one database connection, as under Granian's WSGI
    interface; WebSockets go to the chat (Django Channels). Several workers are correct even
    without Redis: the chat log in the database is the truth and the sockets poll it
    (docs/architecture.md, "Live chat").
    """
    host = _option(argv, "--host", os.environ.get("POSTDESK_HOST", "127.0.0.1"))
    port = _option(argv, "--port", os.environ.get("POSTDESK_PORT", "8000"))
    workers = _option(argv, "--workers", os.environ.get("WEB_WORKERS", "1"))
    threads = _option(argv, "--threads", os.environ.get("WEB_THREADS", "4"))
    env = {**os.environ, "WEB_THREADS": threads}
    cmd = [sys.executable, "-m", "granian", "--interface", "asgi", "postdesk.config.asgi:application",
           "--host", host, "--port", port, "--workers", workers, "--ws",
           "--backpressure", str(int(threads) * 8), "--log-level", "warning",
           # A worker still holding chat sockets when told to stop is killed after this long,
           # instead of keeping the server (and its port) alive forever.
           "--workers-kill-timeout", "15"]
    # Granian replaces this process, so a stop signal (systemd, `postdesk run`, a test) reaches
    # the server itself rather than a wrapper that would die and leave the server orphaned.
    os.execve(sys.executable, cmd, env)


def worker(argv: list[str]) -> int:
    _django(["run_huey", *argv])
    return 0


def run(argv: list[str]) -> int:
    """Laptop mode: migrate, then web server, SMTP intake and worker together until Ctrl-C."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.config.settings")
    subprocess.check_call([sys.executable, "-m", "postdesk.cli", "migrate", "--no-input", "-v", "0"], env=env)
    processes = [
        subprocess.Popen([sys.executable, "-m", "postdesk.cli", "worker"], env=env),
        subprocess.Popen([sys.executable, "-m", "postdesk.cli", "smtpd"], env=env),
        subprocess.Popen([sys.executable, "-m", "postdesk.cli", "web", *argv], env=env),
    ]

    def stop(*_args):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    worker_process, smtpd_process, web_process = processes
    try:
        # The SMTP intake is optional on a laptop (its port may be taken): only the web
        # server and the worker ending stops the run.
        while worker_process.poll() is None and web_process.poll() is None:
            try:
                processes[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for process in processes:
            process.wait()
    return max((process.returncode or 0) for process in processes)


COMMANDS = {"web": web, "worker": worker, "run": run}
# Django command modules cannot have hyphens; the documented names do.
ALIASES = {"ingest-email": "ingest_email", "poll-imap": "poll_imap", "import-mail": "import_mail"}


# sysexits: a mail transport retries on 75 and bounces on anything else but 0.
EX_CONFIG, EX_TEMPFAIL = 78, 75


def main(argv: list[str] | None = None) -> int:
    from postdesk.config.env import SettingError

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            return COMMANDS[argv[0]](argv[1:]) or 0
        if argv and argv[0] in ALIASES:
            argv[0] = ALIASES[argv[0]]
        _django(argv or ["help"])
    except SettingError as exc:
        print(f"postdesk: configuration error: {exc}", file=sys.stderr)
        # A misconfigured pipe must not bounce a customer's mail: let the MTA keep it.
        return EX_TEMPFAIL if argv and argv[0] == "ingest_email" else EX_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(main())
