"""English, German and Spanish: pages, errors and the confirmation email."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from postdesk.notifications.models import OutboundEmail


def _untranslated(po_text: str) -> list[str]:
    """msgids whose every msgstr is empty (obsolete "#~" entries are ignored)."""
    missing = []
    for entry in po_text.split("\n\n"):
        lines = [line for line in entry.strip().splitlines() if not line.startswith("#")]
        msgid, msgstr, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                line = line[len("msgid "):]
            elif line.startswith("msgid_plural "):
                current = None
                continue
            elif line.startswith("msgstr"):
                current = msgstr
                line = line.split(" ", 1)[1]
            if current is not None and line.startswith('"'):
                current.append(line.strip()[1:-1])
        if "".join(msgid) and not "".join(msgstr):
            missing.append("".join(msgid))
    return missing


def test_every_catalogue_entry_is_translated():
    """A string added without its German and Spanish translation fails here, not in front of a customer."""
    from pathlib import Path

    locale = Path(__file__).resolve().parents[2] / "src" / "postdesk" / "locale"
    for language in ("de", "es"):
        text = (locale / language / "LC_MESSAGES" / "django.po").read_text()
        assert "#, fuzzy" not in text.split("\n\n", 1)[1], f"{language}: fuzzy entries"
        missing = _untranslated(text)
        assert missing == [], f"{language}: {len(missing)} untranslated, e.g. {missing[:3]}"
        assert (locale / language / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language, heading, required", [
    ("de", "Kontakt", "Dieses Feld ist zwingend erforderlich."),
    ("es", "Contacto", "Este campo es obligatorio."),
])
def test_hub_and_form_errors_follow_the_browser_language(client, language, heading, required):
    hub = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in hub
    assert heading in hub
    response = client.post(reverse("portal:topic_form", args=["general"]),
                           {"name": "", "email": "x@example.com", "description": "Hallo"},
                           HTTP_ACCEPT_LANGUAGE=language)
    assert [str(e) for e in response.context["form"].errors["name"]] == [required]


@pytest.mark.django_db
def test_confirmation_email_is_in_the_language_the_customer_used(client):
    client.post(reverse("portal:topic_form", args=["general"]),
                {"name": "Jonas Weber", "email": "jonas@example.de",
                 "description": "Wo ist mein Paket?", "submission_id": "0" * 32},
                HTTP_ACCEPT_LANGUAGE="de")
    email = OutboundEmail.objects.get(purpose="confirmation")
    with translation.override("de"):
        assert "Vorgang" in email.subject or "Vorgangsnummer" in email.body
    assert "Your case number is" not in email.body
