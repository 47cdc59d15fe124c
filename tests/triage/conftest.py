"""Triage test helpers: messages through the real ingest pipeline, on any channel."""

from __future__ import annotations

import shutil
import uuid

import pytest


def send(*, channel="email", sender="casey.customer@example.com", subject="", body, topic=None,
         language="en", tracking_numbers=(), department_slug=""):
    from postdesk.intake.inbound import InboundMessage
    from postdesk.intake.services import ingest

    return ingest(InboundMessage(
        channel=channel, external_id=uuid.uuid4().hex, sender_email=sender, sender_name="Casey Customer",
        subject=subject, body=body, topic_slug=topic, language=language,
        tracking_numbers=tuple(tracking_numbers), department_slug=department_slug,
    ))


@pytest.fixture
def private_models(settings, tmp_path):
    """A model directory of the test's own, starting from the shared current model (so no test
    retrains the default, and no test's promotion leaks into another)."""
    from postdesk.triage import engine

    engine.current_model()
    source = engine.model_dir()
    target = tmp_path / "triage"
    shutil.copytree(source, target)
    settings.POSTDESK_TRIAGE_MODEL_DIR = str(target)
    yield target
    engine._cache.clear()
