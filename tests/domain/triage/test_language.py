"""Language of short customer texts, offline."""

import pytest

from postdesk.domain.triage.language import detect


@pytest.mark.parametrize("text, language", [
    ("where is my package", "en"),
    ("Mail not delivered", "en"),
    ("hold mail please", "en"),
    ("tracking no update", "en"),
    ("can't log in", "en"),
    ("Wo ist mein Paket?", "de"),
    ("Paket nicht da", "de"),
    ("Briefkasten kaputt", "de"),
    ("Post nicht zugestellt", "de"),
    ("Konto gesperrt", "de"),
    ("Danke", "de"),
    ("¿Dónde está mi paquete?", "es"),
    ("paquete no llego", "es"),
    ("correo no entregado", "es"),
    ("cuenta bloqueada", "es"),
    ("Necesito ayuda", "es"),
    ("gracias", "es"),
])
def test_short_texts(text, language):
    assert detect(text).language == language


def test_text_without_evidence_keeps_the_default():
    guess = detect("9400111899223818218407", default="de")
    assert (guess.language, guess.evidence, guess.reliable) == ("de", 0.0, False)


def test_accents_dropped_on_a_foreign_keyboard_still_read_as_spanish_and_german():
    assert detect("donde esta mi paquete, no llego nada").language == "es"
    assert detect("Zustellung ueberfaellig, Sendung fehlt").language == "de"


def test_a_long_german_message_quoting_english_tracking_status_is_german():
    text = ("Guten Tag, in der Sendungsverfolgung steht seit einer Woche 'In Transit, Arriving Late' "
            "und nichts passiert. Können Sie mir bitte helfen? Viele Grüße")
    guess = detect(text)
    assert guess.language == "de" and guess.reliable
