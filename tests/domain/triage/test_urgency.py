"""Call-or-visit matters, in all three languages, and their near misses."""

import pytest

from postdesk.domain.triage.urgency import assess


@pytest.mark.parametrize("text, reason", [
    ("I mailed my passport application 3 weeks ago and it never arrived", "passport"),
    ("Where is my passport? I sent it with my renewal in June", "passport"),
    ("Mein Reisepassantrag ist verloren gegangen", "passport"),
    ("Das Amt sagt, mein Pass kam nie an", "passport"),
    ("Envié mi solicitud de pasaporte y no ha llegado", "passport"),
    ("Me devolvieron el pasaporte por correo y se perdió", "passport"),
    ("My Priority Mail Express package guaranteed by noon today has not arrived", "express_failing"),
    ("The overnight envelope must arrive this afternoon", "express_failing"),
    ("Meine Expresssendung sollte heute bis 12 Uhr da sein", "express_failing"),
    ("Mi envío exprés tenía que llegar hoy", "express_failing"),
    ("I need documents notarized before I mail them", "notarisation"),
    ("The bank wants compliance paperwork with the letter", "notarisation"),
    ("Ich brauche beglaubigte Unterlagen", "notarisation"),
    ("Necesito notarizar unos documentos", "notarisation"),
    ("I have a court deadline tomorrow and my documents have not arrived", "legal_deadline"),
    ("My tax return must be postmarked today", "legal_deadline"),
    ("Die Frist beim Gericht endet morgen", "legal_deadline"),
    ("El plazo del tribunal vence mañana", "legal_deadline"),
])
def test_each_reason_in_each_language(text, reason):
    result = assess(text)
    assert result.urgent and reason in result.reasons


@pytest.mark.parametrize("text", [
    "Where can I make a passport appointment?",
    "How long does a passport application take?",
    "Wie bekomme ich einen Termin für den Reisepass?",
    "¿Cómo saco una cita para el pasaporte?",
    "I want a refund for my Priority Mail Express that was late last week",
    "Meine Priority-Mail-Express-Sendung kam letzte Woche zu spät, ich möchte das Porto erstattet haben.",
    "How much does Priority Mail Express overnight cost?",
    "Please send the Certified Mail receipt",
    "Hold my mail, I leave tomorrow",
    "The court letter arrived last week at the wrong address",
    "Guten Morgen, gibt es eine Frist für den Kauf von Briefmarken?",
    "llegó esta tarde el paquete, gracias",
])
def test_near_misses_are_not_urgent(text):
    assert not assess(text).urgent
