"""What the customer is told at once, in their language: call or visit (urgent matters), or
ask the other carrier (a UPS, FedEx or DHL number).

The texts are gettext strings like every other. Until the German and Spanish catalogues carry
them, the built-in translations below are used, because an urgent customer must not get the
advice in a language they may not read.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

_BUILT_IN = {
    "Please call or visit us now": {
        "de": "Bitte rufen Sie uns jetzt an oder besuchen Sie uns",
        "es": "Llámenos o visítenos ahora"},
    "Your request is about something we cannot solve by email in time: %(reasons)s. "
    "Please call us at %(phone)s (%(hours)s) or visit your local Post Office today. "
    "We have recorded your case and marked it urgent.": {
        "de": "Ihr Anliegen betrifft etwas, das wir per E-Mail nicht rechtzeitig lösen können: "
              "%(reasons)s. Bitte rufen Sie uns unter %(phone)s an (%(hours)s) oder gehen Sie noch "
              "heute zu Ihrer Postfiliale. Wir haben Ihren Fall erfasst und als dringend markiert.",
        "es": "Su solicitud trata de algo que no podemos resolver a tiempo por correo electrónico: "
              "%(reasons)s. Llámenos al %(phone)s (%(hours)s) o visite hoy su oficina de correos. "
              "Registramos su caso y lo marcamos como urgente."},
    "Your request is about something we cannot solve by email in time: %(reasons)s. "
    "Please call us or visit your local Post Office today. "
    "We have recorded your case and marked it urgent.": {
        "de": "Ihr Anliegen betrifft etwas, das wir per E-Mail nicht rechtzeitig lösen können: "
              "%(reasons)s. Bitte rufen Sie uns an oder gehen Sie noch heute zu Ihrer Postfiliale. "
              "Wir haben Ihren Fall erfasst und als dringend markiert.",
        "es": "Su solicitud trata de algo que no podemos resolver a tiempo por correo electrónico: "
              "%(reasons)s. Llámenos o visite hoy su oficina de correos. "
              "Registramos su caso y lo marcamos como urgente."},
    "a lost passport application or passport documents": {
        "de": "ein verlorener Passantrag oder Passunterlagen",
        "es": "una solicitud de pasaporte o documentos de pasaporte extraviados"},
    "a Priority Mail Express delivery failing now": {
        "de": "eine Priority-Mail-Express-Zustellung, die gerade scheitert",
        "es": "una entrega de Priority Mail Express que está fallando ahora"},
    "documents that need notarisation or compliance paperwork": {
        "de": "Dokumente, die eine notarielle Beglaubigung oder Compliance-Unterlagen brauchen",
        "es": "documentos que necesitan notarización o trámites de cumplimiento"},
    "a legal deadline today or tomorrow": {
        "de": "eine rechtliche Frist heute oder morgen",
        "es": "un plazo legal hoy o mañana"},
    "This is not one of our tracking numbers": {
        "de": "Das ist keine Sendungsnummer von uns",
        "es": "Este no es uno de nuestros números de rastreo"},
    "The tracking number %(number)s belongs to %(carrier)s, not to us. Only %(carrier)s can tell "
    "you where this shipment is: please contact %(carrier)s directly. We have still recorded your "
    "request.": {
        "de": "Die Sendungsnummer %(number)s gehört zu %(carrier)s, nicht zu uns. Nur %(carrier)s kann "
              "Ihnen sagen, wo diese Sendung ist: Bitte wenden Sie sich direkt an %(carrier)s. Ihr "
              "Anliegen haben wir trotzdem erfasst.",
        "es": "El número de rastreo %(number)s pertenece a %(carrier)s, no a nosotros. Solo %(carrier)s "
              "puede decirle dónde está este envío: comuníquese directamente con %(carrier)s. De todos "
              "modos registramos su solicitud."},
}


def _t(english: str, translated: str) -> str:
    """``translated`` is gettext's answer for ``english``; when the catalogue has no entry for
    the active language, the built-in translation."""
    language = (translation.get_language() or "en")[:2]
    if language != "en" and translated == english:
        return _BUILT_IN.get(english, {}).get(language, english)
    return translated


def reason_text(code: str) -> str:
    if code == "passport":
        english = "a lost passport application or passport documents"
        return _t(english, _("a lost passport application or passport documents"))
    if code == "express_failing":
        english = "a Priority Mail Express delivery failing now"
        return _t(english, _("a Priority Mail Express delivery failing now"))
    if code == "notarisation":
        english = "documents that need notarisation or compliance paperwork"
        return _t(english, _("documents that need notarisation or compliance paperwork"))
    if code == "legal_deadline":
        english = "a legal deadline today or tomorrow"
        return _t(english, _("a legal deadline today or tomorrow"))
    return code


def urgent_title() -> str:
    return _t("Please call or visit us now", _("Please call or visit us now"))


def urgent_text(*, reasons: list[str], phone: str, hours: str) -> str:
    joined = "; ".join(reason_text(code) for code in reasons)
    if phone:
        english = ("Your request is about something we cannot solve by email in time: %(reasons)s. "
                   "Please call us at %(phone)s (%(hours)s) or visit your local Post Office today. "
                   "We have recorded your case and marked it urgent.")
        template = _t(english, _("Your request is about something we cannot solve by email in time: "
                                 "%(reasons)s. Please call us at %(phone)s (%(hours)s) or visit your "
                                 "local Post Office today. We have recorded your case and marked it urgent."))
    else:
        english = ("Your request is about something we cannot solve by email in time: %(reasons)s. "
                   "Please call us or visit your local Post Office today. "
                   "We have recorded your case and marked it urgent.")
        template = _t(english, _("Your request is about something we cannot solve by email in time: "
                                 "%(reasons)s. Please call us or visit your local Post Office today. "
                                 "We have recorded your case and marked it urgent."))
    text = template % {"reasons": joined, "phone": phone, "hours": hours}
    return text.replace(" ()", "")


def other_carrier_title() -> str:
    return _t("This is not one of our tracking numbers", _("This is not one of our tracking numbers"))


def other_carrier_text(*, number: str, carrier: str) -> str:
    english = ("The tracking number %(number)s belongs to %(carrier)s, not to us. Only %(carrier)s can tell "
               "you where this shipment is: please contact %(carrier)s directly. We have still recorded your "
               "request.")
    template = _t(english, _("The tracking number %(number)s belongs to %(carrier)s, not to us. Only "
                             "%(carrier)s can tell you where this shipment is: please contact %(carrier)s "
                             "directly. We have still recorded your request."))
    return template % {"number": number, "carrier": carrier}
