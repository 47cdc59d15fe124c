"""The one command: a bad setting is one clear line, never a traceback; the pipe asks for a retry."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args, env_extra=None, stdin=b""):
    env = {**os.environ, **(env_extra or {})}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "postdesk.cli", *args], input=stdin,
                          capture_output=True, env=env, timeout=60)


def test_bad_setting_is_one_line_with_the_variable_name(tmp_path):
    result = run("check", env_extra={"POSTDESK_DEBUG": "maybe", "POSTDESK_VAR_DIR": str(tmp_path)})
    assert result.returncode == 78
    assert result.stderr.decode().strip() == (
        "postdesk: configuration error: POSTDESK_DEBUG must be one of 1/0, true/false, yes/no, on/off; got 'maybe'")


def test_misconfigured_pipe_exits_tempfail_so_the_mail_server_keeps_the_message(tmp_path):
    result = run("ingest-email", env_extra={"EMAIL_URL": "carrier-pigeon://", "POSTDESK_VAR_DIR": str(tmp_path)},
                 stdin=b"From: a@example.com\n\nhello\n")
    assert result.returncode == 75
    assert "Traceback" not in result.stderr.decode()
