"""Triage settings are parsed strictly: a wrong value stops start-up naming the variable."""

import pytest

from tests.config.test_cli import run


@pytest.mark.parametrize("name, value, message", [
    ("POSTDESK_TRIAGE_MIN_CONFIDENCE", "high", "POSTDESK_TRIAGE_MIN_CONFIDENCE must be a number between 0 and 1; got 'high'"),
    ("POSTDESK_TRIAGE_MIN_CONFIDENCE", "1.5", "POSTDESK_TRIAGE_MIN_CONFIDENCE must be between 0 and 1; got '1.5'"),
    ("POSTDESK_TRIAGE_SAME_MATTER", "merge", "POSTDESK_TRIAGE_SAME_MATTER must be join, link or off; got 'merge'"),
])
def test_bad_triage_setting_is_refused_with_its_name(tmp_path, name, value, message):
    result = run("check", env_extra={name: value, "POSTDESK_VAR_DIR": str(tmp_path)})
    assert result.returncode == 78
    assert result.stderr.decode().strip() == f"postdesk: configuration error: {message}"
