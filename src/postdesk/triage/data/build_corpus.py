"""Build corpus.jsonl, the labelled messages the default triage model learns from.

Run once (``python -m postdesk.triage.data.build_corpus``) and commit the output; the seed is
fixed, so running it again gives the same file. Messages are composed from hand-written
sentence banks (``bank_en``, ``bank_de``, ``bank_es``): for every language and topic about
thirty core sentences (what the customer wants) and eight detail sentences, plus shared
greetings, openers, emotions, closings, subjects, signatures and quoted reply blocks.

Each message is written in one *author style*, which decides how it is put together:

    terse      one sentence, often lower case, no greeting (chat, web form)
    formal     greeting, request, one or two details, closing, name (email, web form)
    rambling   greeting, opener, request, several details and feelings (email, web form)
    typo       request and a detail with typing errors and dropped accents (chat, web form)
    reply      a formal message with a signature above a quoted earlier email (email)
    social     a short public post to the carrier's handle with hashtags (social)

Besides the eight topics the corpus holds call-or-visit matters (``urgent_redirect``), their
near misses (passport appointments, an Express refund from last week) and requests about UPS
numbers. Tracking numbers are generated with valid check digits; about one message in twelve
carries a mistyped one (``invalid_tracking_numbers``). Every line says which core sentence
it came from (``template``) so a split can keep sentences apart, and which part it belongs
to (``split``: train or heldout, 20 % held out per topic and language).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from postdesk.domain import tracking
from postdesk.triage.data import bank_de, bank_en, bank_es

SEED = 20250903
BANKS = {"en": bank_en, "de": bank_de, "es": bank_es}
STYLES = ("terse", "formal", "rambling", "typo", "reply", "social")
PER_TOPIC_STYLE = 16
OUT = Path(__file__).with_name("corpus.jsonl")


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def options(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


# --- tracking numbers ---------------------------------------------------------------------

def _complete(rng: random.Random, make) -> str:
    """A number from ``make(check)`` whose check digit holds."""
    while True:
        body = make(None)
        for digit in "0123456789":
            number = body + digit
            if tracking.check(number).valid:
                return number


def usps_number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.55:
        prefix = rng.choice(["9400111", "9205590", "9270190", "9361289", "9400136", "9405511"])
        return _complete(rng, lambda _: prefix + "".join(rng.choice("0123456789") for _ in range(21 - len(prefix))))
    if kind < 0.7:
        serial = "".join(rng.choice("0123456789") for _ in range(8))
        service = rng.choice(["EC", "EA", "CP", "LZ", "RA", "RR"])
        for digit in "0123456789":
            number = f"{service}{serial}{digit}US"
            if tracking.check(number).valid:
                return number
        return usps_number(rng)
    if kind < 0.85:
        prefix = rng.choice(["7019", "7020", "7021", "7022"])
        return _complete(rng, lambda _: prefix + "".join(rng.choice("0123456789") for _ in range(15)))
    zip_code = rng.choice(["60601", "80202", "77002", "33101", "98101", "30303"])
    pic = usps_number(rng)
    while not pic.startswith("9"):
        pic = usps_number(rng)
    return f"420{zip_code}{pic}"


def ups_number(rng: random.Random) -> str:
    return _complete(rng, lambda _: "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXY") for _ in range(6))
                     + "".join(rng.choice("0123456789") for _ in range(9)))


def mistype(rng: random.Random, number: str) -> str:
    """The same number with a wrong check digit (what a slip of the finger on the last digit
    or a transposition does)."""
    while True:
        if number[-2:].isalpha():  # S10: the check digit sits before the country
            digits = number[:10] + rng.choice([d for d in "0123456789" if d != number[10]]) + number[11:]
        else:
            digits = number[:-1] + rng.choice([d for d in "0123456789" if d != number[-1]])
        result = tracking.check(digits)
        if not result.valid and result.problem == tracking.CHECK_DIGIT:
            return digits


def written(rng: random.Random, number: str) -> str:
    """How a customer writes a number: as printed in groups of four, or run together."""
    if number[:2].isalpha() and number[-2:].isalpha():
        return rng.choice([number, f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:11]} {number[11:]}"])
    if number.startswith("1Z"):
        return number
    if len(number) == 20 and rng.random() < 0.5:
        return " ".join(number[i:i + 4] for i in range(0, 20, 4))
    if len(number) in (22, 26) and rng.random() < 0.4:
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    return number


# --- surface variation --------------------------------------------------------------------

KEYBOARD_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopsadfghjklkxzvbnmn"))


def typos(rng: random.Random, text: str, rate: float) -> str:
    words = text.split(" ")
    out = []
    for word in words:
        if len(word) > 4 and word.isalpha() and rng.random() < rate:
            i = rng.randrange(1, len(word) - 1)
            kind = rng.random()
            if kind < 0.35:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            elif kind < 0.6:
                word = word[:i] + word[i + 1:]
            elif kind < 0.8:
                word = word[:i] + word[i] + word[i:]
            else:
                char = word[i].lower()
                word = word[:i] + KEYBOARD_NEIGHBOURS.get(char, char) + word[i + 1:]
        out.append(word)
    return " ".join(out)


def strip_accents(rng: random.Random, text: str, language: str) -> str:
    if language == "de" and rng.random() < 0.5:
        return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    table = str.maketrans("áéíóúñüäöÁÉÍÓÚÑ¿¡", "aeiounuaoAEIOUN  ")
    return text.translate(table).replace("  ", " ").replace("ß", "ss")


SIGNATURES = {
    "en": ["Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for Android",
           "--\n{name}\n{phone}", "{name}\n{address}", "--\n{name}\nOffice manager, Brightside Dental\n{phone}"],
    "de": ["Von meinem iPhone gesendet", "Gesendet von Outlook für Android", "--\n{name}\n{phone}",
           "{name}\n{address}", "--\n{name}\nBüro Schneider & Partner\nTel. {phone}"],
    "es": ["Enviado desde mi iPhone", "Enviado desde mi Samsung", "--\n{name}\n{phone}",
           "{name}\n{address}", "--\n{name}\nContabilidad, Grupo Sol\nTel. {phone}"],
}
QUOTE_HEADERS = {
    "en": "On {day}, Postdesk Customer Care <support@postdesk.test> wrote:",
    "de": "Am {day} schrieb Postdesk Kundenservice <support@postdesk.test>:",
    "es": "El {day}, Postdesk Atención al Cliente <support@postdesk.test> escribió:",
}
QUOTED = {
    "en": ["Thank you for contacting us. Your case number is {case}.",
           "A member of our team reviews your request and answers you personally within 3 business days.",
           "Reply to this email: your reply is added to your case."],
    "de": ["Vielen Dank für Ihre Nachricht. Ihre Fallnummer ist {case}.",
           "Ein Mitglied unseres Teams prüft Ihr Anliegen und antwortet Ihnen innerhalb von 3 Werktagen.",
           "Antworten Sie auf diese E-Mail: Ihre Antwort wird Ihrem Fall hinzugefügt."],
    "es": ["Gracias por escribirnos. Su número de caso es {case}.",
           "Un miembro de nuestro equipo revisará su solicitud y le responderá en 3 días hábiles.",
           "Responda a este correo: su respuesta se añadirá a su caso."],
}
DAYS = {"en": ["Mon, Sep 8, 2025 at 9:12 AM", "Tue, Oct 14, 2025 at 4:40 PM"],
        "de": ["Mo., 8. Sept. 2025 um 09:12", "Di., 14. Okt. 2025 um 16:40"],
        "es": ["lun, 8 sept 2025 a las 9:12", "mar, 14 oct 2025 a las 16:40"]}
HASHTAGS = {"en": ["#USPS", "#fail", "#help", "#mail", "#frustrated", "#thankyou"],
            "de": ["#Post", "#Ärger", "#Hilfe", "#Paket", "#danke"],
            "es": ["#Correos", "#ayuda", "#paquete", "#queja", "#gracias"]}
ADDRESSES = ["123 N Main St Apt 4B\nSpringfield, IL 62704", "475 L'Enfant Plaza SW\nWashington, DC 20260",
             "350 5th Ave\nNew York, NY 10118", "PO Box 1234\nAustin, TX 78701",
             "1600 Amphitheatre Pkwy\nMountain View, CA 94043"]
PHONES = ["(212) 736-5000", "555-0142", "+1 312 555 0199", "(415) 555-0133", "+49 30 901820"]


def money(rng: random.Random, language: str) -> str:
    value = rng.choice([25, 45.5, 60, 85, 120, 149.99, 250, 400, 1250])
    if language == "en":
        return rng.choice([f"${value:,.2f}", f"${value:g}", f"{value:g} dollars"])
    if language == "de":
        text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        return rng.choice([f"{text} $", f"{value:g} Dollar".replace(".", ","), f"${value:g}"])
    text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return rng.choice([f"{value:g} dólares".replace(".", ","), f"${value:g}", f"{text} dólares"])


# --- composition --------------------------------------------------------------------------

class Composer:
    def __init__(self, rng: random.Random, language: str):
        self.rng = rng
        self.language = language
        self.bank = BANKS[language]

    def fill(self, sentence: str, numbers: dict) -> str:
        rng = self.rng
        values = {
            "n": str(rng.choice([3, 4, 5, 6, 8, 10, 12, 14, 20])),
            "date": rng.choice(options(self.bank.DATES)),
            "city": rng.choice(options(self.bank.CITIES)),
            "item": rng.choice(options(self.bank.ITEMS)),
            "amt": money(rng, self.language),
        }
        if "{tn}" in sentence:
            if "tn_written" not in numbers:
                numbers["tn_written"] = self.number(numbers)
            values["tn"] = numbers["tn_written"]
        if "{ups}" in sentence:
            ups = ups_number(rng)
            numbers.setdefault("valid", []).append(ups)
            values["ups"] = ups
        text = sentence
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text[0].upper() + text[1:] if text else text

    def number(self, numbers: dict) -> str:
        rng = self.rng
        valid = usps_number(rng)
        if rng.random() < 0.09:
            bad = mistype(rng, valid)
            numbers.setdefault("invalid", []).append(bad)
            return written(rng, bad)
        numbers.setdefault("valid", []).append(valid)
        return written(rng, valid)

    def pick(self, text: str) -> str:
        return self.rng.choice(lines(text))

    def compose(self, style: str, core: str, details: list[str], numbers: dict) -> tuple[str, str, str]:
        """(channel, subject, body) for one message."""
        rng, language = self.rng, self.language
        name = rng.choice(options(self.bank.NAMES))
        core_text = self.fill(core, numbers)

        def detail_texts(count: int) -> list[str]:
            # Filled only when used: a detail's tracking number must be in the text it labels.
            return [self.fill(detail, numbers) for detail in details[:count]]

        if style == "terse":
            body = core_text
            if rng.random() < 0.5:
                body = body.lower()
            if rng.random() < 0.5:
                body = body.rstrip(".!?")
            if rng.random() < 0.25 and "tn_written" not in numbers:
                body += " " + self.number(numbers)
            return rng.choice(["chat", "chat", "webform"]), "", body
        if style == "social":
            handle = {"en": "@USPSHelp", "de": "@PostdeskHilfe", "es": "@PostdeskAyuda"}[language]
            tags = " ".join(rng.sample(HASHTAGS[language], k=rng.randint(0, 2)))
            body = f"{handle} {core_text} {tags}".strip()
            if rng.random() < 0.3:
                body = body.lower()
            return "social", "", body
        if style == "typo":
            parts = [core_text] + detail_texts(1)
            body = strip_accents(rng, typos(rng, " ".join(parts), 0.25), language)
            if rng.random() < 0.6:
                body = body.lower()
            if rng.random() < 0.3:
                body = self.pick(self.bank.GREETINGS).rstrip(",").lower() + " " + body
            return rng.choice(["chat", "webform", "email"]), "", body
        subject = rng.choice(options(self.bank.SUBJECTS[self.topic])) if rng.random() < 0.8 else ""
        greeting = self.pick(self.bank.GREETINGS)
        closing = self.pick(self.bank.CLOSINGS)
        if style == "formal":
            paragraphs = [greeting, " ".join([core_text] + detail_texts(rng.randint(1, 2))), f"{closing}\n{name}"]
            channel = rng.choice(["email", "webform"])
        elif style == "rambling":
            middle = [self.pick(self.bank.OPENERS), core_text] + detail_texts(3) + [self.pick(self.bank.EMOTIONS)]
            if rng.random() < 0.5:
                middle.append(self.pick(self.bank.EMOTIONS))
            paragraphs = [greeting, " ".join(middle[:3]), " ".join(middle[3:]), f"{closing}\n{name}"]
            channel = rng.choice(["email", "email", "webform"])
        else:  # reply
            paragraphs = [greeting, " ".join([core_text] + detail_texts(1)), closing]
            signature = rng.choice(SIGNATURES[language]).format(
                name=name, phone=rng.choice(PHONES), address=rng.choice(ADDRESSES))
            case = rng.choice(["K7M-Q4X-9RT", "H2D-88K-4MZ", "P3Q-RT7-2WA"])
            quoted = "\n".join("> " + line.format(case=case) for line in QUOTED[language])
            header = QUOTE_HEADERS[language].format(day=rng.choice(DAYS[language]))
            paragraphs += [signature, f"{header}\n{quoted}"]
            prefix = {"en": "Re: ", "de": rng.choice(["AW: ", "Re: "]), "es": rng.choice(["RE: ", "Re: "])}[language]
            subject = prefix + (subject or rng.choice(options(self.bank.SUBJECTS[self.topic])))
            channel = "email"
        return channel, subject, "\n\n".join(paragraphs)


def build() -> list[dict]:
    rng = random.Random(SEED)
    rows: list[dict] = []

    def add(language, topic, style, template, channel, subject, body, numbers, urgent):
        rows.append({
            "id": f"pd-{len(rows) + 1:05d}", "channel": channel, "language": language,
            "subject": subject, "body": body, "topic": topic, "urgent_redirect": urgent,
            "tracking_numbers": list(dict.fromkeys(numbers.get("valid", []))),
            "invalid_tracking_numbers": list(dict.fromkeys(numbers.get("invalid", []))),
            "author_style": style, "template": template,
        })

    for language, bank in BANKS.items():
        composer = Composer(rng, language)
        for topic, text in bank.CORE.items():
            composer.topic = topic
            cores = lines(text)
            details = lines(bank.DETAILS[topic])
            for style in STYLES:
                for index in rng.sample(range(len(cores)), PER_TOPIC_STYLE):
                    numbers: dict = {}
                    chosen = rng.sample(details, k=rng.randint(1, 3))
                    channel, subject, body = composer.compose(style, cores[index], chosen, numbers)
                    add(language, topic, style, f"{language}:{topic}:{index}", channel, subject, body,
                        numbers, False)
        for kind, source, urgent in (("urgent", bank.URGENT, True), ("near", bank.NEAR_MISS, False),
                                     ("carrier", bank.OTHER_CARRIER, False)):
            for index, line in enumerate(lines(source)):
                parts = line.split("|")
                topic, sentence = parts[-2], parts[-1]
                composer.topic = topic
                for style in rng.sample(STYLES, 3):
                    numbers = {}
                    chosen = rng.sample(lines(bank.DETAILS[topic]), k=1)
                    chosen = [detail for detail in chosen if "{tn}" not in detail]
                    channel, subject, body = composer.compose(style, sentence, chosen, numbers)
                    add(language, topic, style, f"{language}:{kind}:{index}", channel, subject, body,
                        numbers, urgent)
    # Held out: 20 % of every (language, topic), drawn with the same seed.
    by_group: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_group.setdefault((row["language"], row["topic"]), []).append(row)
    for group in by_group.values():
        held = set(id(row) for row in rng.sample(group, k=max(1, len(group) // 5)))
        for row in group:
            row["split"] = "heldout" if id(row) in held else "train"
    return rows


def main() -> int:
    rows = build()
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} messages to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
