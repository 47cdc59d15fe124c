"""The shipped deployment files stay true to the code: every process they start is a real
``postdesk`` command, every setting they set is documented, the compose file is complete."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
POSTDESK_SERVICES = {"migrate", "web", "worker", "smtpd", "poll-imap"}


def _known_commands() -> set[str]:
    from django.core.management import get_commands

    from postdesk import cli

    commands = set(get_commands()) | set(cli.COMMANDS)
    return commands | {alias for alias, target in cli.ALIASES.items() if target in commands}


def _documented_settings() -> set[str]:
    text = (ROOT / "docs" / "operations.md").read_text()
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", text))


def test_compose_runs_every_process_of_the_production_layout():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis"} | POSTDESK_SERVICES
    known = _known_commands()
    for name in POSTDESK_SERVICES:
        command = services[name]["command"]
        assert command[0] == "postdesk" and command[1] in known, (name, command)
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["stop_signal"] == "SIGINT"
    assert services["worker"]["environment"]["POSTDESK_WORKER_METRICS_PORT"] == "9100"
    for name in POSTDESK_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_and_the_environment_file_set_only_documented_settings():
    documented = _documented_settings()
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    names = set(compose["services"]["web"]["environment"]) | set(compose["services"]["worker"]["environment"])
    for line in (DEPLOY / "systemd" / "postdesk.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("=", 1)[0])
    assert names - documented == set()


def test_systemd_units_start_real_postdesk_commands_with_the_environment_file():
    known = _known_commands()
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {unit.name for unit in units} == {
        "postdesk-migrate.service", "postdesk-web.service", "postdesk-worker@.service",
        "postdesk-smtpd.service", "postdesk-poll-imap.service"}
    for unit in units:
        text = unit.read_text()
        assert "EnvironmentFile=/etc/postdesk/postdesk.env" in text
        exec_start = re.search(r"^ExecStart=(\S+) (\S+)", text, re.MULTILINE)
        assert exec_start.group(1) == "/opt/postdesk/.venv/bin/postdesk"
        assert exec_start.group(2) in known, unit.name
        assert "SECRET_KEY" not in text and "PASSWORD" not in text
