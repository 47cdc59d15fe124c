"""``postdesk ingest-email`` as an MTA runs it: a real process, the message on standard input,
the answer in the exit status (sysexits) and one line on standard error."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command

from postdesk.cases.access import reply_token
from postdesk.cases.models import Case
from tests.conftest import make_case

POSTDESK = str(Path(sys.executable).parent / "postdesk")


def email(*, sender="pat.pipe@example.com", subject="Parcel missing",
          body="My parcel 9400111899223818218407 has not arrived.", message_id="<pipe-1@example.com>",
          to="support@postdesk.test") -> bytes:
    message = EmailMessage()
    message["From"] = f"Pat Pipe <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Fri, 27 Nov 2026 09:00:00 -0500"
    message.set_content(body)
    # What Postfix's pipe hands over: LF line ends.
    return message.as_bytes(policy=policy.default)


@pytest.fixture(scope="module")
def pipe_env(tmp_path_factory):
    """A file-based SQLite database the subprocess can open (the test database is in memory),
    migrated once for the module."""
    var = tmp_path_factory.mktemp("pipe-var")
    env = {key: value for key, value in os.environ.items()
           if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "HUEY_IMMEDIATE"}}
    env.update(DJANGO_SETTINGS_MODULE="postdesk.config.settings", POSTDESK_VAR_DIR=str(var),
               DATABASE_URL=f"sqlite:///{var / 'pipe.sqlite3'}", EMAIL_URL="devmailbox:",
               SECRET_KEY="pipe-test-secret-key-0123456789-0123456789-0123456789")
    subprocess.run([POSTDESK, "migrate", "--no-input", "-v", "0"], env=env, check=True,
                   capture_output=True, timeout=300)
    return env


def pipe(env, raw: bytes, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run([POSTDESK, "ingest-email", *args], input=raw, capture_output=True,
                          env={**env, **extra_env}, timeout=120)


def query(env, sql: str, *params) -> list[tuple]:
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, params).fetchall()


CASES_OF = """SELECT c.number, c.subject FROM cases_case c
              JOIN cases_customer cu ON cu.id = c.customer_id WHERE cu.email = ?"""


def test_piped_message_opens_a_case_exits_0_and_says_so_in_one_line(pipe_env):
    result = pipe(pipe_env, email())
    assert result.returncode == 0, result.stderr
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ingested: case ")
    number = lines[0].split()[2]
    assert lines[0] == f"ingested: case {number} (new case)"
    assert query(pipe_env, CASES_OF, "pat.pipe@example.com") == [(number, "Parcel missing")]
    assert query(pipe_env, "SELECT source FROM intake_rawemail") == [("pipe",)]


def test_the_same_message_piped_twice_is_one_case(pipe_env):
    raw = email(sender="twice@example.com", message_id="<twice@example.com>")
    first, second = pipe(pipe_env, raw), pipe(pipe_env, raw)
    assert first.returncode == second.returncode == 0
    number = first.stderr.decode().split()[2]
    assert second.stderr.decode() == f"duplicate: case {number} (duplicate of an earlier submission)\n"
    assert len(query(pipe_env, CASES_OF, "twice@example.com")) == 1


def test_message_without_a_sender_is_quarantined_and_acknowledged(pipe_env):
    raw = b"To: support@postdesk.test\nSubject: who am I\n\nno From header at all\n"
    result = pipe(pipe_env, raw)
    assert result.returncode == 0
    assert result.stderr.decode() == "quarantined: error\n"
    assert query(pipe_env, "SELECT reason, error, subject FROM intake_quarantinedemail") == [
        ("error", "no usable sender address", "who am I")]


def test_empty_input_exits_65_data_error(pipe_env):
    result = pipe(pipe_env, b"\n\n")
    assert (result.returncode, result.stderr) == (65, b"no message on standard input\n")


def test_message_over_the_size_limit_exits_65_with_the_limit(pipe_env):
    raw = email(sender="big@example.com", body="x" * 3000)
    result = pipe(pipe_env, raw, POSTDESK_SMTPD_MAX_BYTES="1024")
    assert result.returncode == 65
    assert result.stderr.decode() == (
        f"message too big: {len(raw)} bytes, the limit is 1024 (POSTDESK_SMTPD_MAX_BYTES)\n")
    assert query(pipe_env, CASES_OF, "big@example.com") == []


def test_bad_command_line_exits_64_usage(pipe_env):
    result = pipe(pipe_env, email(), "--recipeint", "support@postdesk.test")
    assert result.returncode == 64
    assert result.stderr.decode() == (
        "postdesk ingest-email: unrecognized arguments: --recipeint support@postdesk.test "
        "(see --help)\n")


def test_unreachable_database_exits_75_so_the_mta_retries_without_a_traceback(pipe_env):
    raw = email(sender="later@example.com", message_id="<later@example.com>")
    result = pipe(pipe_env, raw, DATABASE_URL="postgres://postgres@127.0.0.1:1/nope")
    assert result.returncode == 75
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    assert stderr.startswith("temporary failure, the MTA will retry: ")
    assert "127.0.0.1" in stderr and "port 1 failed" in stderr
    assert len(stderr.splitlines()) == 1
    # The MTA's retry, once the database is back, delivers it.
    assert pipe(pipe_env, raw).returncode == 0
    assert len(query(pipe_env, CASES_OF, "later@example.com")) == 1


def test_unknown_department_defers_the_mail_instead_of_bouncing_it(pipe_env):
    raw = email(sender="dept@example.com", message_id="<dept@example.com>")
    result = pipe(pipe_env, raw, "--department", "no-such-desk")
    assert result.returncode == 75
    assert result.stderr.decode() == "no department with slug 'no-such-desk'; fix --department\n"
    assert query(pipe_env, CASES_OF, "dept@example.com") == []


# In-process from here: the reply address is signed with the test settings' key.

def run_in_process(monkeypatch, raw: bytes, *args: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("ingest_email", *args)


@pytest.mark.django_db
def test_envelope_recipient_from_the_mta_environment_threads_by_reply_address(monkeypatch, capsys):
    case = make_case(email="pat.pipe@example.com")
    # Postfix local(8) exports the address before alias expansion as ORIGINAL_RECIPIENT.
    monkeypatch.setenv("ORIGINAL_RECIPIENT", f"support+{reply_token(case)}@postdesk.test")
    monkeypatch.setenv("RECIPIENT", "postdesk@localhost")
    run_in_process(monkeypatch, email(subject="More", body="It was blue.", message_id="<env@example.com>"))
    assert capsys.readouterr().err == (
        f"ingested: case {case.number} (joined by the case's reply address)\n")
    assert Case.objects.count() == 1 and case.messages.count() == 2


@pytest.mark.django_db
def test_recipient_option_wins_over_the_environment_and_department_routes_new_cases(monkeypatch, capsys):
    case = make_case(email="pat.pipe@example.com")
    monkeypatch.setenv("RECIPIENT", f"support+{reply_token(case)}@postdesk.test")
    # A different parcel: one naming the open case's tracking number would join it (triage).
    run_in_process(monkeypatch, email(message_id="<opt@example.com>", body="My parcel has not arrived."),
                   "--recipient", "claims@postdesk.test", "--department", "claims")
    new_case = Case.objects.exclude(pk=case.pk).get()
    assert capsys.readouterr().err == f"ingested: case {new_case.number} (new case)\n"
    assert new_case.department.slug == "claims"
