"""Which of English, German and Spanish a message is written in, offline and in microseconds.

Stopword scoring plus a few letters only one of the languages uses (ß, ä/ö/ü; ñ, ¿, ¡, á/í/ó/ú).
Customer messages are short ("Paket nicht da", "¿dónde está mi paquete?"), so the word lists
also hold the postal vocabulary each language uses, which decides the texts that have no
function word at all. Evaluated on the shipped corpus (docs/triage.md); no model download.

``detect(text, default)`` returns a ``LanguageGuess``: the language, a confidence between 0 and
1 (the winner's share of the evidence), and whether any evidence was found at all. With none,
``default`` (the language the customer chose on a form, or the desk's) is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postdesk.domain.triage.text import fold_accents

LANGUAGES = ("en", "de", "es")

# Function words and postal words. A word in two lists ("de", "la", "die", "so") counts less
# for each; weights below make long distinctive words count more than articles.
_WORDS = {
    "en": """
        the a an and or but is are was were be been being have has had do does did not no
        my your our their his her its it this that these those there here what when where
        which who why how i you we they he she me us them of to in on at for with from by
        about into over after before since until still yet just already please thank thanks
        hello hi dear regards sincerely can could would should will shall may might must
        package parcel mail letter delivery delivered deliver tracking track shipment shipped
        received receive arrived arrive missing lost address office carrier stamp stamps box
        refund claim damaged broken wrong day days week weeks today tomorrow yesterday
        never again help need want know says said sent send mailed order item account sign
        password login hold change forward moved move new old pick up pickup any anyone
        nobody nothing something why isn't doesn't didn't hasn't haven't won't can't i'm
        it's i've i'd got get being very really also only same other than then because
        time morning afternoon evening status update updated shows showing label
        """,
    "de": """
        der die das den dem des ein eine einen einem einer eines und oder aber ist sind war
        waren wurde wurden worden sein bin bist habe hast hat haben hatte hatten nicht kein
        keine keinen mein meine meinen meinem meiner ihr ihre ihren ihrem unser unsere es
        ich du wir sie er mich mir uns euch ihnen dieser diese dieses dort hier was wann wo
        welche wer warum wie von zu im in am an auf für mit aus bei nach vor seit bis noch
        schon nur bitte danke vielen dank hallo guten tag sehr geehrte geehrter grüßen grüße
        freundlichen kann könnte würde sollte wird muss darf möchte möchten sendung paket
        pakete päckchen brief briefe post zustellung zugestellt zusteller sendungsverfolgung
        sendungsnummer angekommen erhalten bekommen verloren fehlt fehlen adresse filiale
        briefmarke briefkasten postfach erstattung schaden beschädigt kaputt falsch tag tage
        woche wochen heute morgen gestern nie wieder hilfe brauche weiß steht zeigt seit
        geschickt verschickt versendet bestellt konto anmelden passwort lagern umzug
        nachsendeauftrag abholen abholung nichts etwas immer auch leider trotzdem obwohl weil
        dass ob denn doch mal gibt geht gerade bereits status einschreiben zoll eilig dringend
        """,
    "es": """
        el la los las un una unos unas y o pero es son era eran fue fueron ser estar está
        están estaba estoy he ha han había hay no ni mi mis su sus nuestro nuestra nuestros
        yo tú usted ustedes nosotros ellos ella él me te se nos les lo le este esta estos
        estas ese esa allí aquí qué cuándo dónde cuál quién por porque cómo del al de en con
        para sin sobre desde hasta todavía aún ya solo favor gracias hola estimado estimada
        estimados saludos atentamente cordialmente puede podría debería será tengo tiene
        tienen necesito quiero quisiera paquete paquetes envío envíos carta cartas correo
        correos entrega entregado entregaron repartidor cartero rastreo seguimiento número
        llegó llegado recibido recibí perdido perdida falta dirección oficina sucursal sello
        sellos buzón apartado reembolso reclamo reclamación daño dañado roto equivocada día
        días semana semanas hoy mañana ayer nunca otra vez ayuda saber dice muestra enviado
        envié mandé pedido cuenta iniciar sesión contraseña retener mudanza recoger nada
        algo siempre también lamentablemente aunque que si pues muy estado urgente cuando
        """,
}

_WEIGHTS: dict[str, dict[str, float]] = {}
for _language, _words in _WORDS.items():
    for _word in _words.split():
        for _form in {_word, fold_accents(_word)}:
            _WEIGHTS.setdefault(_form, {})[_language] = 1.0
for _form, _by_language in _WEIGHTS.items():
    # Shared words ("de" is Spanish and a German abbreviation; "die" is English too) split
    # their weight; long words are rarely accidents.
    share = 1.0 / len(_by_language)
    length_bonus = 1.0 if len(_form) <= 3 else 1.5
    for _language in _by_language:
        _by_language[_language] = share * length_bonus

# Letters and digraphs that give a language away even in a single word.
_MARKS = (
    (re.compile(r"[äöüß]", re.I), "de", 2.0),
    (re.compile(r"(?:sch|ung\b|keit\b|lich\b|tz|ck)", re.I), "de", 0.6),
    (re.compile(r"[ñ¿¡]", re.I), "es", 3.0),
    (re.compile(r"[áíóú]", re.I), "es", 1.2),
    (re.compile(r"(?:ción\b|cion\b|ado\b|ada\b|mente\b|ll[aeo])", re.I), "es", 0.6),
    (re.compile(r"(?:\bth|ing\b|\bwh|ly\b|'s\b|n't\b)", re.I), "en", 0.6),
)
_WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?", re.UNICODE)


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    confidence: float
    evidence: float  # total score found; 0 means the guess is only the default

    @property
    def reliable(self) -> bool:
        return self.evidence >= 1.5 and self.confidence >= 0.6


def scores(text: str) -> dict[str, float]:
    totals = {language: 0.0 for language in LANGUAGES}
    for word in _WORD.findall(text.lower()):
        weights = _WEIGHTS.get(word) or _WEIGHTS.get(fold_accents(word))
        if weights:
            for language, weight in weights.items():
                totals[language] += weight
    for pattern, language, weight in _MARKS:
        hits = len(pattern.findall(text))
        if hits:
            # A few marks decide a short text; in a long one the words already have.
            totals[language] += weight * min(hits, 4)
    return totals


def detect(text: str, default: str = "en") -> LanguageGuess:
    totals = scores(text or "")
    evidence = sum(totals.values())
    if evidence == 0:
        return LanguageGuess(default if default in LANGUAGES else "en", 0.0, 0.0)
    # Ties go to the default, then to the order of LANGUAGES.
    ranked = sorted(LANGUAGES, key=lambda language: (-totals[language], language != default))
    best = ranked[0]
    return LanguageGuess(best, round(totals[best] / evidence, 3), round(evidence, 2))
