"""Matters email cannot serve: the customer must call or visit, today.

The carrier's list: a lost passport application or passport documents; a time-critical
Priority Mail Express (overnight) delivery failing now; documents needing notarisation or
compliance paperwork; a legal deadline today or tomorrow. Each reason is a pair of cue sets
that must both appear (the *what* and the *why now*), in English, German or Spanish, on
accent-folded lower-case text. Rules rather than the classifier: they must be explainable
("lost passport application"), hold on one example, and an admin can read them.

Near misses stay out on purpose: a passport *appointment* question, a refund for last
month's late Express parcel, "Certified Mail", a court letter that arrived last week.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postdesk.domain.triage.text import fold_accents

PASSPORT = "passport"
EXPRESS_FAILING = "express_failing"
NOTARISATION = "notarisation"
LEGAL_DEADLINE = "legal_deadline"

REASONS = (PASSPORT, EXPRESS_FAILING, NOTARISATION, LEGAL_DEADLINE)


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.I)


_PASSPORT = _any(r"\bpass?ports?\b", r"\breisepass", r"\bpassantrag", r"\bkinderreisepass",
                 r"\bpasaportes?\b", r"\bpass(?:unterlagen|dokumente|amt|beh(?:o|ö)rde)",
                 # German "Pass" only after a German determiner: English "pass" is a verb.
                 r"\b(?:mein|meinen|meines|meinem|unser|unseren|ihr|ihren|der|den|dem|neue[nr]?|alte[nr]?)\s+pass\b")
_PASSPORT_LOSS = _any(
    # en
    r"\blost\b", r"\bmissing\b", r"\bnever (?:arrived|came|got|made|received|showed)", r"\bnot (?:arrived|received|delivered)",
    r"\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not) (?:arrived|come|been (?:delivered|received)|received|reached|shown|gotten|got)",
    r"\bwhere (?:is|are)\b", r"\bcan'?t (?:find|locate)", r"\bstolen\b", r"\bdisappeared\b",
    r"\bno (?:sign|trace)", r"\bstuck\b", r"\bstill (?:not|no|waiting|hasn'?t)\b",
    r"\bnever\b.{0,40}\b(?:arrived|received|came|got|reached|delivered)\b",
    # de
    r"\bverloren", r"\bverschwunden", r"\bnicht (?:angekommen|zugestellt|erhalten|eingetroffen|da)\b",
    r"\bnie angekommen", r"\bnoch nicht (?:da|angekommen|eingetroffen)", r"\bfehlt\b", r"\bist weg\b",
    r"\bwo (?:ist|sind|bleibt)\b", r"\bimmer noch nicht\b", r"\bkeine spur\b",
    r"\b(?:nie|nicht)\b.{0,40}\b(?:angekommen|erhalten|bekommen|zugestellt|eingetroffen)\b",
    r"\bh(?:a|ä)ng(?:t|en)\b.{0,40}\bfest\b", r"\bsteck(?:t|en)\b.{0,40}\bfest\b",
    r"\bkam(?:en)?\b.{0,30}\b(?:nie|nicht)\b.{0,20}\ban\b", r"\bist\b.{0,30}\bnie\b.{0,20}\ban\b",
    r"\bunauffindbar", r"\bgestohlen",
    # es
    r"\bperdid[oa]s?\b", r"\bextraviad[oa]s?\b", r"\bno (?:ha )?(?:llegado|llego|recibido|recib[ií])",
    r"\bnunca\b.{0,25}\b(?:lleg|recib)", r"\btodav[ií]a no\b", r"\ba[uú]n no\b", r"\bsin rastro\b",
    r"\b(?:se )?(?:perdi[oó]|extravi[oó])\b", r"\bdetenid[oa]s?\b", r"\batascad[oa]s?\b", r"\bno se mueve\b",
    r"\bd[oó]nde (?:esta|est[aá]n)\b", r"\brobad[oa]", r"\bdesaparec",
)
_PASSPORT_ROUTINE = _any(r"\bappointments?\b", r"\btermin(?:e|vereinbarung)?\b", r"\bcitas?\b",
                         r"\bphotos?\b", r"\bfotos?\b", r"\bfees?\b", r"\bgeb(?:u|ü)hr", r"\btarifa",
                         r"\bopening hours\b", r"\bhours\b", r"\b(?:o|ö)ffnungszeiten", r"\bhorario")

_EXPRESS = _any(r"\bpriority mail express\b", r"\bexpress mail\b", r"\bovernight\b", r"\bpme\b",
                r"\bexpress(?:sendung|brief|paket|versand|zustellung)?\b", r"\b(?:u|ü)ber ?nacht",
                r"\bnext[- ]day\b", r"\bcorreo (?:prioritario )?expr[eé]s", r"\bexpr[eé]s\b",
                r"\bal d[ií]a siguiente\b", r"\bde un d[ií]a para otro\b", r"\bexpreso\b")
_NOW = _any(
    # en
    r"\btoday\b", r"\btonight\b", r"\bthis (?:morning|afternoon|evening)\b", r"\bright now\b",
    r"\bby (?:noon|10:30|\d{1,2}(?::\d\d)? ?(?:am|pm|a\.m\.|p\.m\.)|end of (?:the )?day|tomorrow)",
    r"\bin (?:an|one|two|\d) hours?\b", r"\bimmediately\b", r"\basap\b", r"\burgent(?:ly)?\b",
    r"\bguaranteed (?:by|for) (?:today|this|noon|\d)", r"\bneeds? (?:it|this|them) (?:today|tomorrow|by)",
    r"\bstill (?:not|hasn'?t|no)\b.*\b(?:today|now)\b",
    # de
    r"\bheute\b", r"\bjetzt\b", r"\bsofort\b", r"\bdringend\b", r"\bbis (?:mittag|\d{1,2}(?::\d\d)? ?uhr|heute|morgen)",
    r"\bheute (?:morgen|fr(?:u|ü)h|abend|nachmittag)", r"\bmorgen fr(?:u|ü)h\b", r"\bin (?:einer|zwei|\d) stunden?",
    # es
    r"\bhoy\b", r"\besta (?:manana|mañana|tarde|noche)\b", r"\bahora mismo\b", r"\bya mismo\b",
    r"\burgente\b", r"\bantes de (?:las|mediod[ií]a)", r"\bpara (?:hoy|ma[nñ]ana)\b",
    r"\ben (?:una|dos|\d) horas?\b", r"\binmediatamente\b", r"\bcuanto antes\b",
)
_REFUND = _any(r"\brefund", r"\bmoney back\b", r"\breimburse", r"\berstatt", r"\bgeld zur(?:u|ü)ck",
               r"\breembols", r"\bdevoluci[oó]n del dinero", r"\blast (?:week|month)\b",
               r"\bletzte[nm]? (?:woche|monat)", r"\bla semana pasada\b", r"\bel mes pasado\b")

_NOTARY = _any(r"\bnotari(?:z|s)",  r"\bnotar(?:y|ies)\b", r"\bnotarized\b",
               r"\bnotarised\b", r"\bapostill", r"\bnotari(?:ell|at)", r"\bnotar\b",
               r"\bbeglaubig", r"\bnotarial", r"\bnotariad[oa]s?\b", r"\bnotario\b",
               r"\bcompliance (?:paperwork|documents?|forms?|papers?)\b", r"\bkonformit(?:a|ä)ts(?:erkl|nachweis|unterlagen)",
               r"\bcompliance-(?:unterlagen|dokumente)", r"\bdocumentos? de cumplimiento",
               r"\blegaliza(?:r|ci[oó]n|d[oa]s?)\b", r"\bcertified copies\b", r"\bcopias certificadas\b")

_LEGAL = _any(
    r"\bdeadline", r"\bcourt\b", r"\bhearing\b", r"\bfiling\b", r"\blegal(?:ly)?\b", r"\blawyer",
    r"\battorney", r"\bjudge\b", r"\bsubpoena", r"\bsummons\b", r"\beviction", r"\bcontract\b",
    r"\birs\b", r"\btax (?:return|filing|deadline)", r"\bimmigration\b", r"\buscis\b", r"\bvisa\b",
    r"\bmust be postmarked\b", r"\bpoststempel\b", r"\bmatasellos\b",
    r"\bfrist", r"\bgericht", r"\banwalt", r"\banw(?:a|ä)lt", r"\bklage", r"\bvertrag", r"\bfinanzamt",
    r"\bbeh(?:o|ö)rde", r"\bausl(?:a|ä)nderbeh", r"\bverhandlung", r"\bstichtag", r"\beinspruch",
    r"\bplazo", r"\btribunal", r"\bjuzgado", r"\babogad", r"\bjuicio\b", r"\baudiencia", r"\bcontrato",
    r"\bfecha l[ií]mite", r"\bvence\b", r"\bvencimiento", r"\bhacienda\b", r"\bmigraci[oó]n",
    r"\bnotificaci[oó]n judicial", r"\bcitaci[oó]n",
)
_TODAY_OR_TOMORROW = _any(
    r"\btoday\b", r"\btomorrow\b", r"\btonight\b", r"\bby end of (?:the )?day\b", r"\bwithin 24 hours\b",
    r"\bnext morning\b", r"\bin the morning\b",
    r"\bheute\b", r"(?<!guten )\bmorgen\b", r"\bbis morgen", r"\binnerhalb von 24 stunden",
    r"\bhoy\b", r"\bmanana\b", r"\bmañana\b", r"\bhasta manana\b", r"\ben 24 horas\b",
)
_LEGAL_PAST = _any(r"\blast (?:week|month|year)\b", r"\bletzte[nm]? (?:woche|monat|jahr)",
                   r"\bla semana pasada\b", r"\bel (?:mes|ano|año) pasado\b")


@dataclass(frozen=True)
class Urgency:
    urgent: bool
    reasons: tuple[str, ...] = ()


def assess(text: str) -> Urgency:
    """Which of the call-or-visit reasons the text gives (none: not urgent)."""
    folded = fold_accents((text or "").lower())
    # Accent folding is applied to the text only; patterns with accents also have folded twins.
    reasons = []
    if _PASSPORT.search(folded) and _PASSPORT_LOSS.search(folded):
        routine = _PASSPORT_ROUTINE.search(folded)
        loss = _PASSPORT_LOSS.findall(folded)
        # "Where is the passport appointment page?" is routine; "my passport application
        # never arrived" is not, even if it mentions the appointment it had.
        strong = [item for item in loss if item and not re.fullmatch(r"where (?:is|are)|wo (?:ist|sind)|d[oó]nde (?:esta|est[aá]n)",
                                                                    item.strip())]
        if not routine or strong:
            reasons.append(PASSPORT)
    if _EXPRESS.search(folded) and _NOW.search(folded):
        if not _REFUND.search(folded) or re.search(r"\b(?:today|heute|hoy)\b", folded):
            reasons.append(EXPRESS_FAILING)
    if _NOTARY.search(folded):
        reasons.append(NOTARISATION)
    if _LEGAL.search(folded) and _TODAY_OR_TOMORROW.search(folded) and not _LEGAL_PAST.search(folded):
        reasons.append(LEGAL_DEADLINE)
    return Urgency(bool(reasons), tuple(reasons))
