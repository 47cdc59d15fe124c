"""Settings parsing: a wrong value stops start-up with a message naming the variable."""

from __future__ import annotations

import pytest

from postdesk.config.env import SettingError, env_bool, env_int, parse_email_url


def test_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("POSTDESK_DEBUG", "maybe")
    with pytest.raises(SettingError, match="POSTDESK_DEBUG must be one of"):
        env_bool("POSTDESK_DEBUG", False)


def test_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("WORKER_THREADS", "four")
    with pytest.raises(SettingError, match="WORKER_THREADS must be a whole number"):
        env_int("WORKER_THREADS", 4)
    monkeypatch.setenv("WORKER_THREADS", "0")
    with pytest.raises(SettingError, match="at least 1"):
        env_int("WORKER_THREADS", 4, minimum=1)


def test_smtp_url_with_credentials_and_starttls():
    parsed = parse_email_url("smtp://user%40x:p%3Ass@mail.example.com:587?tls=1", dev_mailbox_dir="/x")
    assert parsed["EMAIL_HOST"] == "mail.example.com"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "user@x"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert parsed["EMAIL_USE_TLS"] is True and parsed["EMAIL_USE_SSL"] is False


def test_smtps_url_uses_implicit_tls_on_465():
    parsed = parse_email_url("smtps://mail.example.com", dev_mailbox_dir="/x")
    assert parsed["EMAIL_PORT"] == 465 and parsed["EMAIL_USE_SSL"] is True


def test_dev_mailbox_is_the_default_kind():
    parsed = parse_email_url("devmailbox:", dev_mailbox_dir="/tmp/mb")
    assert parsed["EMAIL_BACKEND"].endswith("DevMailboxBackend")


@pytest.mark.parametrize("url, message", [
    ("http://mail.example.com", "EMAIL_URL must start with"),
    ("smtp://", "EMAIL_URL needs a host"),
    ("smtp://mail.example.com?tsl=1", "unknown options"),
])
def test_bad_email_urls_are_refused_clearly(url, message):
    with pytest.raises(SettingError, match=message):
        parse_email_url(url, dev_mailbox_dir="/x")
