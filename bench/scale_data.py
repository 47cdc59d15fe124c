"""Realistic values for the generated desk (``generate_cases.py``): people, US addresses with
real ZIP codes, phone numbers of the customer's area, tracking numbers whose check digits hold,
and the text of customer messages, agent replies and notes in English, German and Spanish.

Everything is drawn from one ``random.Random`` so a seed gives the same desk. Message text is
built from pre-escaped fragments (COPY text format: ``\\n`` already written as two characters),
because joining fragments is the cheapest way to give five million messages a varied
vocabulary for free-text search. Framework-free: no Django import.
"""

from __future__ import annotations

import random

from postdesk.domain import tracking

# --- people -------------------------------------------------------------------------------

FIRST_NAMES = {
    "en": ["Mary", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Susan",
           "William", "Karen", "Joseph", "Nancy", "Thomas", "Lisa", "Charles", "Betty", "Daniel",
           "Sandra", "Matthew", "Ashley", "Anthony", "Donna", "Mark", "Emily", "Kwame", "Mei",
           "Aiko", "Priya", "Ahmed", "Olga", "Tyrone", "Keisha", "Hannah", "Noah", "Grace"],
    "de": ["Jürgen", "Anna", "Thomas", "Sabine", "Stefan", "Katrin", "Michael", "Ursula", "Andreas",
           "Monika", "Klaus", "Birgit", "Lukas", "Lena", "Felix", "Jörg", "Günter", "Bärbel"],
    "es": ["María", "José", "Lucía", "Carlos", "Sofía", "Juan", "Carmen", "Luis", "Ana", "Miguel",
           "Isabel", "Javier", "Elena", "Alejandro", "Rosa", "Andrés", "Guadalupe", "Jesús"],
}
LAST_NAMES = {
    "en": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
           "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
           "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "Nguyen", "Kim", "Patel",
           "Okafor", "Tanaka", "Kowalski", "O'Brien", "Washington"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Größer"],
    "es": ["García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez",
           "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Núñez"],
}
EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example", "inbox.example"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Washington Blvd", "Elm St", "Park Rd", "Cedar Ln",
           "Pine St", "Lakeview Dr", "Hillcrest Ave", "Sunset Blvd", "Church St", "Highland Ave",
           "Jefferson St", "Lincoln Ave", "Madison Ave", "River Rd", "Franklin St", "Walnut St",
           "Chestnut St", "Spring St", "Center St", "Broadway", "Mill Rd", "Forest Ave"]
UNITS = ["Apt 2B", "Apt 12", "Unit 4", "Ste 300", "Apt 7F"]
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "á": "a", "é": "e", "í": "i",
                        "ó": "o", "ú": "u", "ñ": "n", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "'": ""})


class Places:
    """Real US ZIP codes with their city, state and telephone area codes (``zipcodes``)."""

    def __init__(self) -> None:
        import phonenumbers
        import zipcodes

        valid: dict[str, bool] = {}

        def known(area: str) -> bool:
            # Area codes newer than libphonenumber's metadata would give numbers the desk rejects.
            if area not in valid:
                valid[area] = phonenumbers.is_valid_number(phonenumbers.parse(f"+1{area}2345678"))
            return valid[area]

        self.rows = []
        for z in zipcodes.list_all():
            if (z["zip_code_type"] != "STANDARD" or not z["active"]
                    or z["state"] in ("PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP")):
                continue
            areas = [area for area in z["area_codes"] if known(area)]
            if areas:
                self.rows.append((z["zip_code"], z["city"].title(), z["state"], areas))

    def pick(self, rng: random.Random) -> tuple[str, str, str, list[str]]:
        return self.rows[rng.randrange(len(self.rows))]


class Person:
    __slots__ = ("language", "name", "email", "phone", "phone_display", "street", "city", "state", "zip")

    def __init__(self, rng: random.Random, places: Places, language: str, serial: int, with_phone: bool):
        self.language = language
        first = rng.choice(FIRST_NAMES[language])
        last = rng.choice(LAST_NAMES[language])
        self.name = f"{first} {last}"
        local = f"{first}.{last}".translate(_ASCII).lower().replace(" ", "")
        # The serial keeps addresses unique (cases_customer.email is unique) and readable.
        self.email = f"{local}.{serial}@{EMAIL_DOMAINS[serial % len(EMAIL_DOMAINS)]}"
        zip_code, city, state, area_codes = places.pick(rng)
        self.street = f"{rng.randint(1, 9899)} {rng.choice(STREETS)}"
        if rng.random() < 0.15:
            self.street += " " + rng.choice(UNITS)
        self.city, self.state, self.zip = city, state, zip_code
        self.phone = self.phone_display = ""
        if with_phone:
            import phonenumbers

            for _attempt in range(20):  # a few exchanges are unassigned: the desk rejects those
                area = rng.choice(area_codes)
                exchange = rng.randint(200, 989)
                if exchange in (555, 911):
                    exchange += 1
                line = rng.randrange(10000)
                self.phone = f"+1{area}{exchange}{line:04d}"
                if phonenumbers.is_valid_number(phonenumbers.parse(self.phone)):
                    break
            self.phone_display = f"({area}) {exchange}-{line:04d}"

    @property
    def address(self) -> str:
        return f"{self.street}\n{self.city}, {self.state} {self.zip}"

    @property
    def address_line(self) -> str:
        """One line, Publication 28 style, as ``domain.addresses`` normalises it."""
        return f"{self.street.upper()}, {self.city.upper()} {self.state} {self.zip}"


# --- tracking numbers ---------------------------------------------------------------------

# IMpb: application identifier + service type code, a 9-digit mailer id, 7-digit serial, check.
IMPB_PREFIXES = ["9400111", "9400109", "9205590", "9205511", "9405511", "9407111", "9270190",
                 "9361289", "9374869", "9201199"]
S10_SERVICES = ["RA", "RB", "LZ", "LX", "CP", "EE", "EA", "UM"]
S10_COUNTRIES = ["US"] * 6 + ["DE", "ES", "MX", "CA", "GB", "CN", "FR", "CO"]


def _gs1_mod10(data: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return str(-total % 10)


def _s10_check(serial: str) -> str:
    total = sum(int(d) * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7)))
    check = 11 - total % 11
    return "0" if check == 10 else "5" if check == 11 else str(check)


def impb(rng: random.Random) -> str:
    body = rng.choice(IMPB_PREFIXES) + f"{rng.randrange(10 ** 14):014d}"
    return body + _gs1_mod10(body)


def s10(rng: random.Random) -> str:
    serial = f"{rng.randrange(10 ** 8):08d}"
    return f"{rng.choice(S10_SERVICES)}{serial}{_s10_check(serial)}{rng.choice(S10_COUNTRIES)}"


def tracking_number(rng: random.Random) -> str:
    return impb(rng) if rng.random() < 0.88 else s10(rng)


def as_typed(rng: random.Random, number: str) -> str:
    """How a customer writes it: mostly as printed, often in groups of four, sometimes hyphens."""
    roll = rng.random()
    if number[:2].isalpha() or roll < 0.55:
        return number
    groups = [number[i:i + 4] for i in range(0, len(number), 4)]
    return " ".join(groups) if roll < 0.9 else "-".join(groups)


def entity_json(number: str, raw: str) -> dict:
    """A valid number as ``triage.services.entity_json`` stores it on ``CaseTriage.entities``."""
    kind = "s10" if number[:2].isalpha() else "impb"
    return {"number": number, "carrier": tracking.USPS, "kind": kind, "valid": True, "problem": None,
            "expected_check": None, "raw": raw, "carrier_name": "USPS"}


def check_sample(rng: random.Random, count: int = 2000) -> None:
    """Every generated number must pass ``domain.tracking.check``: the desk's own rules."""
    for _ in range(count):
        number = tracking_number(rng)
        result = tracking.check(as_typed(rng, number))
        if not (result.valid and result.normalised == number and result.is_usps):
            raise AssertionError(f"generated tracking number {number} fails domain.tracking: {result}")


# --- message text -------------------------------------------------------------------------


def _e(text: str) -> str:
    """COPY text format escaping of a fragment (fragments never hold tabs or backslashes)."""
    return text.replace("\n", "\\n")


GREETINGS = {
    "en": ["Hello,", "Hi,", "Good morning,", "Dear Customer Service,", "To whom it may concern,"],
    "de": ["Guten Tag,", "Hallo,", "Sehr geehrte Damen und Herren,", "Liebes Serviceteam,"],
    "es": ["Hola,", "Buenos días,", "Estimados señores:", "Buenas tardes,"],
}
CLOSINGS = {
    "en": ["Thank you,", "Thanks in advance,", "Best regards,", "Sincerely,", "Regards,"],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Danke im Voraus", "Beste Grüße"],
    "es": ["Gracias,", "Saludos cordiales,", "Un saludo,", "Atentamente,"],
}
# Per topic: the first sentence(s). {t} tracking number as typed, {d} a date, {city}, {n} days.
OPENINGS = {
    "en": {
        "track_package": ["I mailed a package on {d} and the tracking for {t} has not updated in {n} days.",
                          "Tracking number {t} says \"In Transit, Arriving Late\" since {d}.",
                          "USPS Tracking shows my package {t} as delivered but nothing arrived at my door.",
                          "My parcel {t} has been sitting at the {city} distribution center for {n} days."],
        "missing_package": ["A package I sent on {d} never arrived. The tracking number is {t}.",
                            "My letter to {city} was mailed on {d} and is still missing.",
                            "Mail from my bank has not arrived for {n} days; I expected a debit card."],
        "delivery_issue": ["Our carrier keeps delivering our neighbors' mail to our mailbox.",
                           "The package {t} was left in the rain on the porch and the contents are soaked.",
                           "Nobody delivered mail on our street in {city} for {n} days."],
        "claim_refund": ["I want to file a claim for the insured package {t}; it arrived damaged.",
                         "Priority Mail Express {t} arrived {n} days late and I would like a refund of the postage.",
                         "The item in parcel {t} was broken, the box was crushed on one side."],
        "feedback_complaint": ["The clerk at the {city} Post Office was very rude to my mother.",
                               "I want to thank our letter carrier, who always goes the extra mile.",
                               "The lines at the {city} Post Office are over an hour long every Saturday."],
        "delivery_services": ["I submitted a change of address on {d} but my mail still goes to the old house.",
                              "Please hold my mail from {d} for two weeks while I am on vacation.",
                              "My PO box renewal payment went through but the box is locked."],
        "informed_delivery": ["I cannot sign in to Informed Delivery; the verification code never comes.",
                              "My daily digest has shown no mail scans for {n} days."],
        "general": ["What is the postage for a 3 oz letter to Germany?",
                    "Is the {city} Post Office open on the holiday?"],
    },
    "de": {
        "track_package": ["Ich habe am {d} ein Paket verschickt, Sendungsnummer {t}. Die Sendungsverfolgung "
                          "zeigt seit {n} Tagen keinen neuen Status.",
                          "Laut Sendungsverfolgung wurde {t} zugestellt, aber bei mir ist nichts angekommen.",
                          "Mein Paket {t} liegt seit {n} Tagen im Verteilzentrum {city}."],
        "missing_package": ["Ein Brief nach {city}, abgeschickt am {d}, ist nie angekommen.",
                            "Das Paket mit der Nummer {t} ist seit {n} Tagen verschwunden."],
        "delivery_issue": ["Unsere Post wird ständig beim Nachbarn eingeworfen.",
                           "Das Paket {t} wurde im Regen vor der Tür abgestellt und ist völlig durchnässt."],
        "claim_refund": ["Ich möchte einen Schaden für die versicherte Sendung {t} melden.",
                         "Die Expresssendung {t} kam {n} Tage zu spät, ich bitte um Erstattung des Portos."],
        "feedback_complaint": ["Der Mitarbeiter in der Filiale {city} war sehr unfreundlich.",
                               "Ich möchte unserer Zustellerin herzlich danken."],
        "delivery_services": ["Ich habe am {d} einen Nachsendeauftrag gestellt, aber die Post geht weiter an "
                              "die alte Adresse.",
                              "Bitte lagern Sie meine Post ab dem {d} für zwei Wochen ein."],
        "informed_delivery": ["Ich kann mich bei Informed Delivery nicht anmelden, der Bestätigungscode "
                              "kommt nie an."],
        "general": ["Wie viel kostet ein Brief mit 3 Unzen nach Deutschland?"],
    },
    "es": {
        "track_package": ["Envié un paquete el {d} con número de seguimiento {t} y no se actualiza desde hace "
                          "{n} días.",
                          "El seguimiento de {t} dice entregado pero no recibí nada.",
                          "Mi paquete {t} lleva {n} días en el centro de distribución de {city}."],
        "missing_package": ["La carta que mandé a {city} el {d} nunca llegó.",
                            "El paquete {t} está perdido desde hace {n} días."],
        "delivery_issue": ["El cartero deja nuestra correspondencia en el buzón del vecino.",
                           "Dejaron el paquete {t} bajo la lluvia y llegó mojado."],
        "claim_refund": ["Quiero presentar una reclamación por el paquete asegurado {t}, llegó dañado.",
                         "El envío Priority Mail Express {t} llegó {n} días tarde; pido el reembolso."],
        "feedback_complaint": ["El empleado de la oficina de {city} fue muy grosero.",
                               "Quiero dar las gracias a nuestra cartera por su amabilidad."],
        "delivery_services": ["Hice un cambio de dirección el {d} pero el correo sigue llegando a la casa "
                              "anterior.",
                              "Por favor retengan mi correo a partir del {d} durante dos semanas."],
        "informed_delivery": ["No puedo entrar en Informed Delivery, nunca llega el código de verificación."],
        "general": ["¿Cuánto cuesta enviar una carta de 3 onzas a España?"],
    },
}
DETAILS = {
    "en": ["It contains prescription medication that I need urgently.",
           "The sender is a small business and they say they cannot help.",
           "I already asked at my local Post Office and they told me to contact you.",
           "This is a birthday present for my granddaughter.",
           "The label was printed online and paid with Click-N-Ship.",
           "I have attached a photo of the receipt.",
           "Nobody left a notice or a redelivery slip.",
           "My neighbor says a carrier came by but did not ring the bell.",
           "The package contains important legal documents for a court date.",
           "We are not home during the day, so please leave it at the back door.",
           "I have been waiting more than two weeks now.",
           "The value of the contents is about $180.",
           "Can you please tell me where it is and when it will be delivered?",
           "Please call me back, I have tried the hotline three times."],
    "de": ["Es enthält dringend benötigte Medikamente.",
           "Der Absender sagt, er könne nichts mehr tun.",
           "Ich war bereits in meiner Filiale, dort hat man mich an Sie verwiesen.",
           "Es ist ein Geburtstagsgeschenk für meine Enkelin.",
           "Eine Benachrichtigungskarte lag nicht im Briefkasten.",
           "Der Inhalt hat einen Wert von etwa 150 Dollar.",
           "Ich warte jetzt schon mehr als zwei Wochen.",
           "Bitte teilen Sie mir mit, wo sich die Sendung befindet."],
    "es": ["Contiene medicamentos que necesito con urgencia.",
           "El remitente dice que no puede hacer nada.",
           "Ya pregunté en mi oficina de correos y me dijeron que les escribiera.",
           "Es un regalo de cumpleaños para mi nieta.",
           "No dejaron ningún aviso de entrega.",
           "El contenido vale unos 120 dólares.",
           "Llevo más de dos semanas esperando.",
           "¿Pueden decirme dónde está y cuándo lo van a entregar?"],
}
CONTACT_LINES = {
    "en": ["You can reach me at {phone}.", "My phone number is {phone}.", "Call me at {phone} any time."],
    "de": ["Sie erreichen mich unter {phone}.", "Meine Telefonnummer ist {phone}."],
    "es": ["Pueden llamarme al {phone}.", "Mi teléfono es {phone}."],
}
TRACKING_LINE = {"en": " The tracking number is {t}.", "de": " Die Sendungsnummer ist {t}.",
                 "es": " El número de seguimiento es {t}."}
ADDRESS_LINES = {
    "en": "My address is:\n{address}", "de": "Meine Adresse:\n{address}", "es": "Mi dirección es:\n{address}",
}
FOLLOW_UPS = {
    "en": ["Any news? It is still not here.", "It has been a week since I wrote, is anyone looking into this?",
           "The tracking still shows the same status.", "Thank you, it arrived today!",
           "I checked with my neighbors, nobody has it.", "Could you please give me an update on {t}?"],
    "de": ["Gibt es Neuigkeiten? Die Sendung ist immer noch nicht da.", "Danke, das Paket ist heute angekommen!",
           "Die Sendungsverfolgung zeigt immer noch denselben Status."],
    "es": ["¿Hay novedades? Todavía no ha llegado.", "¡Gracias, el paquete llegó hoy!",
           "El seguimiento sigue mostrando el mismo estado."],
}
REPLIES = {
    "en": ["Hello {first},\n\nthank you for contacting us. We have asked the local Post Office to check on "
           "your item and will write again as soon as we hear back.\n\nKind regards,\n{agent}\nCustomer Service",
           "Hello {first},\n\nwe are sorry for the delay. Your item was rerouted through the regional "
           "processing center and should move again within two business days.\n\n{agent}\nCustomer Service",
           "Hello {first},\n\nwe have opened a search request for your item. A missing mail search can take "
           "up to 7 business days.\n\nBest regards,\n{agent}",
           "Hi {first},\n\nthe local office confirmed the carrier scanned the item at the wrong address. "
           "It will be redelivered tomorrow.\n\n{agent}\nCustomer Service"],
    "de": ["Hallo {first},\n\nvielen Dank für Ihre Nachricht. Wir haben die Filiale gebeten, Ihre Sendung "
           "zu prüfen.\n\nFreundliche Grüße\n{agent}\nKundenservice",
           "Hallo {first},\n\nes tut uns leid für die Verzögerung. Ihre Sendung wurde über das regionale "
           "Verteilzentrum umgeleitet.\n\n{agent}\nKundenservice"],
    "es": ["Hola {first}:\n\ngracias por escribirnos. Hemos pedido a la oficina local que revise su envío.\n\n"
           "Saludos,\n{agent}\nAtención al cliente",
           "Hola {first}:\n\nlamentamos el retraso. Su envío fue desviado por el centro regional y se moverá "
           "en dos días hábiles.\n\n{agent}\nAtención al cliente"],
}
NOTES = ["Called the {city} office, supervisor will check the cage.",
         "Scan history shows the item missorted at the NDC; asked for a trace.",
         "Customer called the hotline as well, same issue.",
         "Claim form sent; waiting for photos of the damage.",
         "Carrier route 012 confirmed the misdelivery."]
DETAILS_E = {lang: [_e(s) for s in items] for lang, items in DETAILS.items()}
GREETINGS_E = {lang: [_e(s) for s in items] for lang, items in GREETINGS.items()}
CLOSINGS_E = {lang: [_e(s) for s in items] for lang, items in CLOSINGS.items()}


class Terms:
    """The search terms of generated text, exactly as ``postdesk.search.services`` computes them
    for a message in the case's language (``domain.search.document_terms``), at bulk speed.

    Terms are per word, so the terms of a text are the union of the terms of its parts when the
    parts meet at spaces or punctuation. Message text here is fixed sentences with a few values
    filled in: each sentence is analysed once with its placeholders blanked, and each value
    once (the cache keeps the frequent ones: names, cities, dates).
    """

    def __init__(self) -> None:
        from functools import lru_cache

        from postdesk.domain import search as text

        self.text = text
        self.of = lru_cache(maxsize=1 << 18)(self._terms)
        self._name = lru_cache(maxsize=1 << 16)(self._name_terms)
        self._word = lru_cache(maxsize=1 << 18)(self._word_terms)
        self._templates: dict[tuple[str, str], frozenset[str]] = {}

    def _terms(self, value: str, language: str) -> frozenset[str]:
        # Word by word, each word analysed once: the pure-Python stemmer is the costly part.
        # A run of ASCII digits is its own term (no stop word, no stem, nothing to fold).
        found = set()
        for word in self.text.words(value):
            if word.isascii() and word.isdigit():
                found.add(word)
            else:
                found |= self._word(word, language)
        return frozenset(found)

    def _word_terms(self, word: str, language: str) -> frozenset[str]:
        return frozenset(self.text.document_terms(word, language))

    def template(self, template: str, language: str) -> frozenset[str]:
        key = (template, language)
        found = self._templates.get(key)
        if found is None:
            blanked = template.format(t=" ", d=" ", n=" ", city=" ", phone=" ", address=" ", first=" ",
                                      agent=" ")
            found = self._templates[key] = self._terms(blanked, language)
        return found

    def name(self, name: str, language: str) -> frozenset[str]:
        """A customer's name in the document header (``domain.search.name_terms``)."""
        return self._name(name, language)

    def _name_terms(self, name: str, language: str) -> frozenset[str]:
        return frozenset(self.text.name_terms(name, language))


def customer_body(rng: random.Random, language: str, topic: str, person: Person, *, typed: str,
                  date: str, days: int, with_address: bool, terms: Terms, into: set) -> str:
    """A first message, COPY-escaped: greeting, the topic's opening, details, contact, closing.
    Its search terms are added to ``into``."""
    template = rng.choice(OPENINGS[language][topic])
    if typed and "{t}" not in template:
        template += TRACKING_LINE[language]
    opening = template.format(t=typed or "-", d=date, n=days, city=person.city)
    of = terms.of
    into |= terms.template(template, language)
    if typed and "{t}" in template:
        into |= of(typed, language)
    if "{d}" in template:
        into |= of(date, language)
    if "{n}" in template:
        into |= of(str(days), language)
    if "{city}" in template:
        into |= of(person.city, language)
    greeting = rng.choice(GREETINGS[language])
    into |= of(greeting, language)
    parts = [_e(greeting), "", _e(opening)]
    details = rng.sample(DETAILS[language], rng.randint(1, 3))
    for sentence in details:
        into |= of(sentence, language)
    parts.append(_e(" ".join(details)))
    if with_address:
        line = ADDRESS_LINES[language]
        into |= terms.template(line, language) | of(person.street, language) | of(person.city, language)
        into |= of(f"{person.state} {person.zip}", language)
        parts += ["", _e(line.format(address=person.address))]
    if person.phone_display and rng.random() < 0.35:
        line = rng.choice(CONTACT_LINES[language])
        into |= terms.template(line, language) | of(person.phone_display, language)
        parts.append(line.format(phone=person.phone_display))
    closing = rng.choice(CLOSINGS[language])
    into |= of(closing, language) | of(person.name, language)
    parts += ["", _e(closing), person.name]
    return "\\n".join(parts)


def follow_up_body(rng: random.Random, language: str, person: Person, typed: str, *, terms: Terms,
                   into: set) -> str:
    template = rng.choice(FOLLOW_UPS[language])
    into |= terms.template(template, language) | terms.of(person.name, language)
    if typed and "{t}" in template:
        into |= terms.of(typed, language)
    return _e(template.format(t=typed or "")) + "\\n\\n" + person.name


def reply_body(rng: random.Random, language: str, person: Person, agent: str, *, terms: Terms,
               into: set) -> str:
    template = rng.choice(REPLIES[language])
    first = person.name.split(" ")[0]
    into |= terms.template(template, language) | terms.of(first, language) | terms.of(agent, language)
    return _e(template.format(first=first, agent=agent))


def note_body(rng: random.Random, person: Person, *, terms: Terms, into: set) -> str:
    """An agent's internal note: agents write them in English, whatever the case's language."""
    template = rng.choice(NOTES)
    into |= terms.template(template, "en")
    if "{city}" in template:
        into |= terms.of(person.city, "en")
    return _e(template.format(city=person.city))
