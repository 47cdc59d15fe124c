"""Matters email cannot serve: flagged urgent, first in the queue, and the customer told at once,
in their language, to call or visit. Other carriers' numbers: told whom to ask."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postdesk.cases.access import status_token
from postdesk.cases.models import Case, CaseEvent
from postdesk.notifications.models import OutboundEmail
from tests.triage.conftest import send

pytestmark = pytest.mark.django_db

PHONE = "1-800-275-8777"  # the default phone ContactChannel


def confirmation(case) -> str:
    return OutboundEmail.objects.get(case=case, purpose="confirmation").body


@pytest.mark.parametrize("body, language, title", [
    ("I mailed my passport application three weeks ago and it never arrived.", "en",
     "Please call or visit us now"),
    ("Meine Priority-Mail-Express-Sendung war bis heute Mittag garantiert und ist immer noch nicht da.", "de",
     "Bitte rufen Sie uns jetzt an oder besuchen Sie uns"),
    ("Tengo un plazo en el tribunal mañana y los documentos que envié no han llegado.", "es",
     "Llámenos o visítenos ahora"),
])
def test_urgent_email_is_flagged_and_the_confirmation_opens_with_the_call_advice_in_its_language(
        body, language, title):
    case = send(body=body).case
    case.refresh_from_db()
    assert case.priority == Case.Priority.URGENT and case.language == language
    assert CaseEvent.objects.filter(case=case, type="urgent_flagged").exists()
    priority = CaseEvent.objects.get(case=case, type="priority_changed")
    assert (priority.data["old"], priority.data["new"], priority.actor) == (2, 4, None)
    text = confirmation(case)
    greeting, _, rest = text.partition("\n\n")
    assert rest.startswith(f"*** {title} ***\n")
    assert PHONE in rest.split("\n\n")[0]


def test_web_form_success_page_shows_the_urgent_advice_with_the_number(client):
    case = send(channel="web", topic="missing_package", language="es",
                body="Envié mi solicitud de pasaporte hace un mes y nunca llegó a la agencia.").case
    response = client.get(reverse("portal:submitted", args=[status_token(case)]), HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert 'data-triage-notice="urgent"' in html
    assert "Llámenos o visítenos ahora" in html and PHONE in html
    assert "una solicitud de pasaporte o documentos de pasaporte extraviados" in html


def test_ordinary_case_has_no_notice(client):
    case = send(channel="web", topic="general", body="What are your opening hours?").case
    html = client.get(reverse("portal:submitted", args=[status_token(case)])).content.decode()
    assert "data-triage-notice" not in html
    assert "***" not in confirmation(case)


def test_urgent_case_leads_the_console_queue_whatever_the_sort(client_supervisor):
    urgent = send(body="I need documents notarized today before I mail them.").case
    later = send(sender="olive.other@example.com", body="Where is my parcel? Tracking has not moved.").case
    for sort in ("", "oldest"):
        html = client_supervisor.get(reverse("console:home"), {"sort": sort}).content.decode()
        assert html.index(f'data-case="{urgent.number}"') < html.index(f'data-case="{later.number}"')


def test_other_carrier_number_gets_the_answer_in_the_customers_language_and_the_topic_is_kept():
    case = send(body="¿Dónde está mi paquete 1Z999AA10123456784? El rastreo no muestra nada.").case
    case.refresh_from_db()
    assert case.triage.other_carriers == [{"number": "1Z999AA10123456784", "carrier": "ups", "carrier_name": "UPS"}]
    assert case.topic.slug == "track_package"
    text = confirmation(case)
    assert "*** Este no es uno de nuestros números de rastreo ***" in text
    assert "El número de rastreo 1Z999AA10123456784 pertenece a UPS" in text
