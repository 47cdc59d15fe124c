"""What a customer's free text names: tracking numbers, addresses, ZIP codes, phone numbers,
dates and money amounts.

Every finder returns plain values that survive a trip through JSON (the case page shows them,
the search table indexes them). Tracking numbers reuse ``domain.tracking``: only numbers whose
check digit holds are ``valid``; a string with a known shape and a wrong check digit is kept
with ``valid=False`` and ``problem="check_digit"`` so an agent sees "likely typo", but it is
never searchable or matched as a real number.

Dates are read in English ("mailed on Sept 3", "9/3"), German ("am 3. September", "03.09.")
and Spanish ("el 3 de septiembre", "3/9"): numeric dates are month/day in English and
day/month in German and Spanish.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import phonenumbers
import zipcodes

from postdesk.domain import addresses, tracking
from postdesk.domain.addresses import STATE_CODES

CARRIER_NAMES = {tracking.USPS: "USPS", tracking.UPS: "UPS", tracking.FEDEX: "FedEx",
                 tracking.DHL: "DHL"}


@dataclass(frozen=True)
class TrackingEntity:
    number: str            # normalised
    carrier: str
    kind: str
    valid: bool
    problem: str | None = None
    expected_check: str | None = None
    raw: str = ""

    @property
    def carrier_name(self) -> str:
        return CARRIER_NAMES.get(self.carrier, self.carrier)

    @property
    def other_carrier(self) -> bool:
        return self.valid and self.carrier != tracking.USPS


@dataclass(frozen=True)
class Entities:
    tracking_numbers: list[TrackingEntity] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)        # one-line, Publication 28 style
    zip_codes: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)           # E.164
    dates: list[dict] = field(default_factory=list)           # {"text", "date" (ISO) or "relative"}
    money: list[dict] = field(default_factory=list)           # {"text", "amount", "currency"}

    @property
    def valid_tracking(self) -> list[TrackingEntity]:
        return [item for item in self.tracking_numbers if item.valid]

    @property
    def mistyped_tracking(self) -> list[TrackingEntity]:
        return [item for item in self.tracking_numbers if not item.valid]

    def as_json(self) -> dict:
        return {
            "tracking_numbers": [asdict(item) | {"carrier_name": item.carrier_name}
                                 for item in self.tracking_numbers],
            "addresses": list(self.addresses), "zip_codes": list(self.zip_codes),
            "phones": list(self.phones), "dates": list(self.dates), "money": list(self.money),
        }

    def search_keys(self) -> list[tuple[str, str]]:
        """(kind, value) pairs for the search index: only what is real (valid numbers)."""
        keys = [("tracking", item.number) for item in self.valid_tracking]
        keys += [("address", value) for value in self.addresses]
        keys += [("zip", value) for value in self.zip_codes]
        keys += [("phone", value) for value in self.phones]
        keys += [("date", item["date"]) for item in self.dates if item.get("date")]
        keys += [("money", f"{item['amount']} {item['currency']}") for item in self.money]
        return list(dict.fromkeys(keys))


def extract(text: str, *, language: str = "en", today: date | None = None) -> Entities:
    text = text or ""
    today = today or date.today()
    numbers, taken = find_tracking(text)
    found_addresses, address_zips = find_addresses(text)
    phones = find_phones(text, language=language, exclude=taken)
    return Entities(
        tracking_numbers=numbers,
        addresses=found_addresses,
        zip_codes=find_zip_codes(text, exclude=taken, also=address_zips),
        phones=phones,
        dates=find_dates(text, language=language, today=today),
        money=find_money(text, language=language),
    )


# --- tracking numbers ---------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_GAP = re.compile(r"[^\S\r\n]{1,2}|[^\S\r\n]?[-\u2010-\u2015][^\S\r\n]?")
_LENGTHS = frozenset({10, 11, 12, 13, 15, 18, 20, 22, 26, 30, 32, 34, 38})
# The shapes free text is trusted with (see domain.tracking: short checksums pass for one
# random number in ten), plus the short FedEx/DHL/UPS shapes when the carrier is named nearby.
_LONG_KINDS = frozenset({"impb", "impb_routed", "usps20", "s10", "ups_1z", "fedex_34",
                         "fedex_astra32", "fedex_ground96"})
_SHORT_KINDS_BY_CARRIER = {
    tracking.FEDEX: frozenset({"fedex_express12", "fedex_ground15", "fedex_sscc18"}),
    tracking.DHL: frozenset({"dhl_express"}),
    tracking.UPS: frozenset({"ups_waybill"}),
}
_CARRIER_WORDS = {tracking.FEDEX: re.compile(r"\bfed\s?ex\b", re.I),
                  tracking.DHL: re.compile(r"\bdhl\b", re.I),
                  tracking.UPS: re.compile(r"\bups\b", re.I)}
_LONGEST = 38


def _groupable(token: str) -> bool:
    return len(token) == 2 or any(char.isdigit() for char in token)


def find_tracking(text: str) -> tuple[list[TrackingEntity], list[tuple[int, int]]]:
    """Tracking numbers in order of appearance, valid and mistyped, and the spans they cover.

    From each starting token the longest run of number groups that is a valid number wins
    (as in ``tracking.find_in_text``); when no run is valid, the longest run with a known shape
    and a wrong check digit is reported as a likely typo.
    """
    named = {carrier for carrier, pattern in _CARRIER_WORDS.items() if pattern.search(text)}
    allowed = set(_LONG_KINDS)
    for carrier in named:
        allowed |= _SHORT_KINDS_BY_CARRIER[carrier]
    tokens = list(_TOKEN.finditer(text))
    found: list[TrackingEntity] = []
    spans: list[tuple[int, int]] = []
    seen: set[str] = set()
    start = 0
    while start < len(tokens):
        best = mistyped = None
        best_end = mistyped_end = start
        joined = ""
        for end in range(start, len(tokens)):
            token = tokens[end].group()
            if not _groupable(token):
                break
            if end > start and not _GAP.fullmatch(text, tokens[end - 1].end(), tokens[end].start()):
                break
            joined += token.upper()
            if len(joined) > _LONGEST:
                break
            if len(joined) not in _LENGTHS:
                continue
            result = tracking.check(text[tokens[start].start():tokens[end].end()])
            if result.kind not in allowed:
                continue
            groups = [item.group() for item in tokens[start:end + 1]]
            if not _grouping_plausible(result, groups):
                continue
            if result.valid:
                best, best_end = result, end
            elif result.problem == tracking.CHECK_DIGIT and (best is None or best.kind == "usps20"):
                mistyped, mistyped_end = result, end
        if best is not None and best.kind == "usps20" and mistyped is not None and mistyped_end > best_end:
            # About one random 20-digit string in five passes a legacy rule, so the first five
            # groups of a mistyped 22- or 26-digit number are no evidence of a legacy number.
            best = None
        chosen, chosen_end = (best, best_end) if best is not None else (mistyped, mistyped_end)
        if chosen is None or (best is None and _embedded_in_digits(text, tokens, start, chosen_end)):
            start += 1
            continue
        key = chosen.pic or chosen.normalised
        if key not in seen:
            seen.add(key)
            found.append(TrackingEntity(
                number=chosen.normalised, carrier=chosen.carrier, kind=chosen.kind,
                valid=chosen.valid, problem=chosen.problem, expected_check=chosen.expected_check,
                raw=chosen.raw,
            ))
        spans.append((tokens[start].start(), tokens[chosen_end].end()))
        start = chosen_end + 1
    return found, spans


def _grouping_plausible(result: tracking.TrackingCheck, groups: list[str]) -> bool:
    if any(not any(char.isdigit() for char in group) for group in groups[1:-1]):
        return False
    if result.kind == "usps20" and len(groups) > 1:
        return [len(group) for group in groups] == [4] * 5
    if result.kind in ("fedex_express12", "fedex_ground15", "dhl_express", "fedex_sscc18") and len(groups) > 4:
        return False
    return True


def _embedded_in_digits(text, tokens, start, end) -> bool:
    """A mistyped candidate must stand alone: a 22-digit slice of a 30-digit run is no typo."""
    before = text[max(0, tokens[start].start() - 1):tokens[start].start()]
    after = text[tokens[end].end():tokens[end].end() + 1]
    return before.isdigit() or after.isdigit()


# --- addresses and ZIP codes --------------------------------------------------------------

_STATE_ZIP = re.compile(r"\b([A-Z]{2})\.?,?[^\S\n]+(\d{5}(?:-\d{4})?)\b")
_ADDRESS_START = re.compile(r"(?:\b\d{1,6}[A-Za-z]?\s+(?=[A-Za-z0-9])|\bP\.?\s?O\.?\s+Box\b|\bPO\s?Box\b|"
                            r"\b(?:RR|HC|PSC|Unit)\s+\d)", re.I)
_ADDRESS_LEAD = re.compile(r"(?:^|[\n,;:(]|\b(?:to|at|from|address|is|an|nach|in|en|a|de|adresse|direcci[oó]n|es))\s*$",
                           re.I)
_ZIP_WORDS = re.compile(r"(?:zip(?:\s*code)?|postleitzahl|plz|c[oó]digo\s+postal|c\.?p\.?)\s*(?:is|ist|es|:|#|no\.?)?\s*$",
                        re.I)
_ZIP_TOKEN = re.compile(r"(?<![\d-])(\d{5})(?:-(\d{4}))?(?![\d-])")


def find_addresses(text: str) -> tuple[list[str], list[str]]:
    """US addresses written in the text (normalised), and the ZIP codes they contain.

    Anchored on "ST 12345": from there, the earliest house number or box within three lines
    back that makes a parseable address wins.
    """
    found: list[str] = []
    zips: list[str] = []
    for anchor in _STATE_ZIP.finditer(text):
        if anchor.group(1) not in STATE_CODES:
            continue
        window_start = anchor.start()
        for _ in range(3):
            previous = text.rfind("\n", 0, window_start - 1)
            if previous < 0 or anchor.start() - previous > 160:
                window_start = max(0, anchor.start() - 160) if previous < 0 else window_start
                break
            window_start = previous + 1
        window_start = max(window_start, anchor.start() - 160, 0)
        starts = list(_ADDRESS_START.finditer(text, window_start, anchor.start()))
        # An address starts a line or follows punctuation or "to"/"at"/"an"/"en"; a number
        # inside prose ("Sept 3 to 475 ...") is tried last.
        starts.sort(key=lambda start: not _ADDRESS_LEAD.search(text, max(0, start.start() - 12), start.start()))
        for start in starts:
            candidate = text[start.start():anchor.end()]
            result = addresses.normalise_us_address(candidate)
            if result.one_line and result.line1 and result.problem in (None, addresses.ZIP_STATE_MISMATCH):
                if result.one_line not in found:
                    found.append(result.one_line)
                    zips.append(result.zip)
                break
    return found, zips


def find_zip_codes(text: str, *, exclude: list[tuple[int, int]] = (), also: list[str] = ()) -> list[str]:
    """ZIP codes: ZIP+4 anywhere, a five-digit number after a state code or the word ZIP (in
    any of the three languages), and those inside addresses. Only ZIPs that exist."""
    found = [value for value in also if value]
    for match in _ZIP_TOKEN.finditer(text):
        if any(start <= match.start() < end for start, end in exclude):
            continue
        before = text[max(0, match.start() - 25):match.start()]
        plus_four = match.group(2) is not None
        after_state = re.search(r"\b([A-Z]{2})\.?,?\s+$", before)
        if not (plus_four or _ZIP_WORDS.search(before)
                or (after_state and after_state.group(1) in STATE_CODES)):
            continue
        if not zipcodes.matching(match.group(1)):
            continue
        value = match.group(0)
        if value not in found:
            found.append(value)
    return found


# --- phone numbers ------------------------------------------------------------------------

_REGIONS = {"en": ("US",), "de": ("US", "DE"), "es": ("US", "ES", "MX")}


def find_phones(text: str, *, language: str = "en", exclude: list[tuple[int, int]] = ()) -> list[str]:
    found: list[str] = []
    covered: list[tuple[int, int]] = list(exclude)
    for region in _REGIONS.get(language, ("US",)):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if any(start < match.end and match.start < end for start, end in covered):
                continue
            covered.append((match.start, match.end))
            value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            if value not in found:
                found.append(value)
    return found


# --- dates --------------------------------------------------------------------------------

_MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "marz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    # Spanish
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9, "set": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12, "dic": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted((re.escape(name) for name in _MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)"
_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d\d))?"
_DATE_PATTERNS = [
    # "Sept 3", "September 3rd, 2025"
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?\b{_YEAR}", re.I),
    # "3 September", "3rd of September", "am 3. September", "el 3 de septiembre de 2025"
    re.compile(rf"\b{_DAY}(?:st|nd|rd|th|\.)?\s*(?:of\s+|de\s+)?{_MONTH}(?:\s+de)?{_YEAR}(?![\w])", re.I),
    # ISO 2025-09-03
    re.compile(r"\b(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)\b"),
    # 9/3, 9/3/2025, 03.09.2025, 3.9.
    re.compile(r"(?<![\d/.])(?P<first>[0-3]?\d)(?P<sep>[/.])(?P<second>[01]?\d)(?:(?P=sep)(?P<nyear>(?:19|20)?\d\d))?"
               r"(?P<trail>\.)?(?![\d/]|\.\d)"),
]
_RELATIVE = {
    "today": 0, "tonight": 0, "this morning": 0, "yesterday": -1, "tomorrow": 1,
    "heute": 0, "heute abend": 0, "gestern": -1, "morgen": 1, "vorgestern": -2, "übermorgen": 2,
    "hoy": 0, "esta noche": 0, "ayer": -1, "mañana": 1, "manana": 1, "anteayer": -2,
    "pasado mañana": 2,
}
_RELATIVE_PATTERN = re.compile(
    r"\b(" + "|".join(sorted((re.escape(word) for word in _RELATIVE), key=len, reverse=True)) + r")\b", re.I)


def find_dates(text: str, *, language: str = "en", today: date | None = None) -> list[dict]:
    today = today or date.today()
    found: list[dict] = []
    spans: list[tuple[int, int]] = []

    def add(match, value: date | None, relative: str | None = None) -> None:
        if any(start < match.end() and match.start() < end for start, end in spans):
            return
        spans.append((match.start(), match.end()))
        item = {"text": match.group(0).strip().rstrip(".") if value is not None and "/" not in match.group(0)
                and match.group(0).count(".") == 3 else match.group(0).strip()}
        if value is not None:
            item["date"] = value.isoformat()
        if relative is not None:
            item["relative"] = relative
        found.append(item)

    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("month"):
                month = _MONTHS.get(groups["month"].lower().rstrip("."))
                if month == 5 and groups["month"].lower() == "may" and not _may_is_a_month(text, match):
                    continue
                value = _make_date(today, month, int(groups["day"]), groups.get("year"))
            elif groups.get("iso_year"):
                value = _make_date(today, int(groups["iso_month"]), int(groups["iso_day"]), groups["iso_year"])
            else:
                if groups["sep"] == "." and not (groups.get("nyear") or groups.get("trail")):
                    continue  # "3.5" is a number, "3.5." or "03.05.2025" a date
                if groups["sep"] == "." and language == "en" and not groups.get("nyear"):
                    continue
                first, second = int(groups["first"]), int(groups["second"])
                # English writes month/day; German and Spanish day/month (and dots always are).
                month, day = (first, second) if groups["sep"] == "/" and language == "en" else (second, first)
                value = _make_date(today, month, day, groups.get("nyear"))
            if value is not None:
                add(match, value)
    for match in _RELATIVE_PATTERN.finditer(text):
        word = match.group(1).lower()
        if word in ("mañana", "manana") and re.search(r"\b(?:esta|la|por la|de la)\s+$", text[:match.start()], re.I):
            continue  # "esta mañana" is this morning, "por la mañana" in the morning
        if word == "morgen" and re.search(r"\b(?:heute|gestern|guten|jeden|am)\s+$", text[:match.start()], re.I):
            continue  # "heute Morgen" is this morning
        add(match, today + timedelta(days=_RELATIVE[word]), relative=word)
    return found


def _may_is_a_month(text: str, match) -> bool:
    # "may 3" is a date; "you may 3 times" is not worth guarding further than a capital M.
    return match.group(0)[0] == "M"


def _make_date(today: date, month: int | None, day: int, year: str | None) -> date | None:
    if not month:
        return None
    if year:
        number = int(year)
        number = number + 2000 if number < 100 else number
    else:
        number = today.year
    try:
        value = date(number, month, day)
    except ValueError:
        return None
    if not year and value > today + timedelta(days=180):
        # "mailed on Dec 28" read in January is last year's December.
        try:
            value = date(number - 1, month, day)
        except ValueError:
            return None
    return value


# --- money ----------------------------------------------------------------------------------

_AMOUNT = r"\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MONEY_PATTERNS = [
    re.compile(rf"(?P<symbol>US\$|\$|€|EUR|USD)\s?(?P<amount>{_AMOUNT})(?![\d])", re.I),
    re.compile(rf"(?<![\w.,])(?P<amount>{_AMOUNT})\s?(?P<word>\$|€|EUR|USD|dollars?|bucks|euros?|"
               r"dólares|dolares|d[oó]lar|US-?Dollar)\b", re.I),
    re.compile(rf"(?<![\w.,])(?P<amount>{_AMOUNT})\s?(?P<word>€)", re.I),
]


def _currency(word: str) -> str:
    word = word.lower()
    return "EUR" if word.startswith(("€", "eur")) else "USD"


def _parse_amount(raw: str, language: str, currency: str) -> Decimal | None:
    raw = raw.replace(" ", "")
    if "," in raw and "." in raw:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
    elif "," in raw:
        decimal_mark = "," if re.search(r",\d{1,2}$", raw) else None
    elif "." in raw:
        # "1.250" is a thousand and a quarter in German and Spanish, "12.50" is twelve fifty.
        decimal_mark = None if re.search(r"\.\d{3}$", raw) and (language != "en" or currency == "EUR") else "."
    else:
        decimal_mark = None
    if decimal_mark:
        whole, _, cents = raw.rpartition(decimal_mark)
        whole = re.sub(r"[.,]", "", whole)
        raw = f"{whole}.{cents}"
    else:
        raw = re.sub(r"[.,]", "", raw)
    try:
        return Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def find_money(text: str, *, language: str = "en") -> list[dict]:
    found: list[dict] = []
    spans: list[tuple[int, int]] = []
    for pattern in _MONEY_PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in spans):
                continue
            groups = match.groupdict()
            currency = _currency(groups.get("symbol") or groups.get("word") or "$")
            amount = _parse_amount(groups["amount"], language, currency)
            if amount is None:
                continue
            spans.append((match.start(), match.end()))
            found.append({"text": match.group(0).strip(), "amount": str(amount), "currency": currency})
    return found
