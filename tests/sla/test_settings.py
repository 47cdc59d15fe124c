"""SLA settings are parsed strictly: a wrong value stops start-up with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def check(tmp_path, **env_extra):
    env = {**os.environ, "POSTDESK_VAR_DIR": str(tmp_path), **env_extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "postdesk.cli", "check"], capture_output=True,
                          env=env, timeout=60)


@pytest.mark.parametrize("name, value, message", [
    ("POSTDESK_SLA_WEEKDAY_HOURS", "9 to 5",
     "POSTDESK_SLA_WEEKDAY_HOURS: opening hours must look like 08:00-17:00; got '9 to 5'"),
    ("POSTDESK_SLA_SATURDAY_HOLIDAY_RULE", "monday",
     "POSTDESK_SLA_SATURDAY_HOLIDAY_RULE must be one of friday, saturday; got 'monday'"),
    ("POSTDESK_SLA_AT_RISK_PERCENT", "100", "POSTDESK_SLA_AT_RISK_PERCENT must be at most 99; got 100"),
])
def test_bad_sla_setting_is_one_line_naming_the_variable(tmp_path, name, value, message):
    result = check(tmp_path, **{name: value})
    assert result.returncode == 78
    assert result.stderr.decode().strip() == f"postdesk: configuration error: {message}"


def test_a_desk_that_never_opens_is_refused(tmp_path):
    result = check(tmp_path, POSTDESK_SLA_WEEKDAY_HOURS="")
    assert result.returncode == 78
    assert "the desk must open some day" in result.stderr.decode()
