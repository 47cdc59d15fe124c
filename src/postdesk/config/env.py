"""Strict parsing of settings from the environment.

A misspelt value fails at start-up with a message naming the variable, instead of silently
falling back to a default (the idea of healthchecks' ``envbool``).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit


class SettingError(Exception):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise SettingError(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_email_url(url: str, *, dev_mailbox_dir: str) -> dict:
    """Turn ``EMAIL_URL`` into Django email settings.

    ``smtp://user:pass@host:port`` plain (STARTTLS with ``?tls=1``),
    ``smtps://…`` implicit TLS, ``devmailbox:`` the local development mailbox,
    ``console:`` print to stdout.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "devmailbox":
        return {
            "EMAIL_BACKEND": "postdesk.notifications.devmailbox.DevMailboxBackend",
            "POSTDESK_DEV_MAILBOX_DIR": dev_mailbox_dir,
        }
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme not in {"smtp", "smtps"}:
        raise SettingError(
            f"EMAIL_URL must start with smtp://, smtps://, devmailbox: or console:; got {url!r}"
        )
    if not parts.hostname:
        raise SettingError(f"EMAIL_URL needs a host; got {url!r}")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(query) - {"tls", "timeout"}
    if unknown:
        raise SettingError(f"EMAIL_URL has unknown options {sorted(unknown)}; known: tls, timeout")
    try:
        port = parts.port or (465 if scheme == "smtps" else 25)
    except ValueError:
        raise SettingError(f"EMAIL_URL has a bad port; got {url!r}") from None
    tls = query.get("tls", "0").lower() in _TRUE
    try:
        timeout = int(query.get("timeout", "10"))
    except ValueError:
        raise SettingError(f"EMAIL_URL timeout must be a whole number of seconds") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls and scheme == "smtp",
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_TIMEOUT": timeout,
    }
