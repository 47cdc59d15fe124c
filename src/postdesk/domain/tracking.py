"""Tracking numbers customers quote: normalise, recognise the carrier, verify the check digit.

Rules come from USPS Publication 199 (IMpb), the UPU S10 standard and the carrier formats
collected in jkeen/tracking_number_data (see ../shared/reference/DOMAIN.md, section 1). They are
implemented here rather than taken from the `tracking-numbers` package because that package
cannot normalise input, rejects real Certified Mail numbers and reports mistyped USPS numbers as
FedEx SmartPost.

This is a USPS desk, so USPS formats are tried first, and when a string has the *shape* of a
USPS number that shape owns it (see `check`). Other carriers are recognised only to tell a
customer "this is a FedEx number, ask FedEx".

Kinds on `TrackingCheck.kind`, by carrier:
    usps   "impb" (22/26-digit PIC, AI 91-95; 30-digit AI 94), "impb_routed" (420 + ZIP5/ZIP+4
           + PIC: 30, 34 or 38 digits), "usps20" (legacy 20-digit), "s10" (UPU international;
           reported as USPS because USPS carries every one of them on the US leg)
    ups    "ups_1z", "ups_waybill"
    fedex  "fedex_express12", "fedex_ground15", "fedex_ground96", "fedex_sscc18",
           "fedex_astra32", "fedex_34" (Express 34 and Ground GSN)
    dhl    "dhl_express" (10/11 digits, mod 7), "dhl_piece_id" (JJD..., no check digit)

Problem codes on `TrackingCheck.problem`:
    "check_digit"     the string has a known shape but its check digit is wrong (likely a typo);
                      `expected_check` holds the digit that would make it valid
    "bad_country"     S10 shape whose last two letters are not a UPU member country
    "unknown_format"  no known shape
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

USPS = "usps"
UPS = "ups"
FEDEX = "fedex"
DHL = "dhl"

CHECK_DIGIT = "check_digit"
BAD_COUNTRY = "bad_country"
UNKNOWN_FORMAT = "unknown_format"

# Issuing posts for S10 numbers: the 191 UPU member codes copied from jkeen/tracking_number_data
# couriers/s10.json (MIT). Copied rather than read at run time so the domain has no data files.
# Known gaps of that list: TW, and territories with posts of their own (AW, CW, NC, PF, ...).
S10_COUNTRY_CODES = frozenset(
    """
    AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG
    CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FR GA GB GD GE GH
    GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR
    KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MK ML MM MN MR MT MU MV MW MX MY MZ NA
    NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PT PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL
    SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VA VC VE VN VU
    WS YE ZA ZM ZW
    """.split()
)

# Customers paste numbers with group spaces, hyphens (including the typographic ones word
# processors substitute) and dots; none of them is ever part of a tracking number.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")


@dataclass(frozen=True)
class TrackingCheck:
    """The verdict on one string; `carrier` and `kind` are set whenever a known shape matched."""

    raw: str
    normalised: str
    carrier: str | None
    kind: str | None
    valid: bool
    problem: str | None
    pic: str | None = None  # IMpb Package Identification Code: what USPS Tracking accepts
    zip: str | None = None  # destination ZIP from a 420 routing prefix, "12345" or "12345-6789"
    expected_check: str | None = None

    @property
    def is_usps(self) -> bool:
        return self.carrier == USPS

    @property
    def other_carrier(self) -> bool:
        return self.valid and self.carrier is not None and self.carrier != USPS


def normalise(raw: str) -> str:
    # NFKC first so full-width digits and letters from CJK keyboards become ASCII.
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()


# --- check digits -------------------------------------------------------------------------

def _gs1_mod10(data: str) -> str:
    """GS1 mod 10: weights 3,1,3,... from the rightmost data digit.

    Weighting from the right makes one function serve every length (IMpb, legacy 20-digit,
    FedEx Ground, SSCC) without the "even index from the left" parity trap.
    """
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(data)))
    return str(-total % 10)


def _ups_mod10(data: str) -> str:
    """UPS: letters map to digits via (ord - 63) mod 10; odd positions x1, even positions x2."""
    values = [int(char) if char.isdigit() else (ord(char) - 63) % 10 for char in data]
    total = sum(value * (1 if i % 2 == 0 else 2) for i, value in enumerate(values))
    return str(-total % 10)


def _fedex_mod11(data: str) -> str:
    """FedEx Express: weights 1,3,7 cycling from the rightmost digit; (sum mod 11) mod 10.

    From the right this is both Express-12's "3,1,7 from the left over 11 digits" and the
    34-digit "1,7,3,... over 13 digits", so one function serves both.
    """
    total = sum(int(digit) * (1, 3, 7)[i % 3] for i, digit in enumerate(reversed(data)))
    return str(total % 11 % 10)


def _s10_check(serial: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7)))
    check = 11 - total % 11
    return {10: "0", 11: "5"}.get(check, str(check))


def _dhl_mod7(data: str) -> str:
    return str(int(data) % 7)


# --- readings: one interpretation of a normalised string ----------------------------------

@dataclass(frozen=True)
class _Reading:
    carrier: str
    kind: str
    problem: str | None
    expected_check: str | None = None
    pic: str | None = None
    zip: str | None = None


def _checked(carrier: str, kind: str, found: str, expected: str, **extra: str | None) -> _Reading:
    if found == expected:
        return _Reading(carrier, kind, None, **extra)
    return _Reading(carrier, kind, CHECK_DIGIT, expected_check=expected, **extra)


_PIC = re.compile(r"9[1-5]\d{20}(?:\d{4})?")  # AI 91-95, 22 or 26 digits
_PIC_30 = re.compile(r"94\d{28}")  # upstream v2.0.0 accepts AI 94 with a 15-digit package id


def _read_usps_pic(number: str) -> Iterator[_Reading]:
    if _PIC.fullmatch(number) or _PIC_30.fullmatch(number):
        yield _checked(USPS, "impb", number[-1], _gs1_mod10(number[:-1]), pic=number)


def _read_usps_routed(number: str) -> Iterator[_Reading]:
    """420 + ZIP5 or ZIP+4 + PIC; the check digit covers the PIC only.

    A 34-digit string can be ZIP+4 with a 22-digit PIC or ZIP5 with a 26-digit PIC; both are
    offered and `check` takes whichever passes.
    """
    if not (number.startswith("420") and number.isdigit()):
        return
    for zip_length in (9, 5):
        pic = number[3 + zip_length:]
        if not _PIC.fullmatch(pic):
            continue
        zip_digits = number[3:3 + zip_length]
        zip_code = f"{zip_digits[:5]}-{zip_digits[5:]}" if zip_length == 9 else zip_digits
        expected = _gs1_mod10(pic[:-1])
        yield _checked(USPS, "impb_routed", pic[-1], expected, pic=pic, zip=zip_code)


def _read_usps20(number: str) -> Iterator[_Reading]:
    """Legacy 20-digit numbers: two rules share the space, so either passing is enough.

    Article numbers (Certified Mail 70xx...) check the 19 digits as printed; Delivery and
    Signature Confirmation printed without AI 91 check "91" + the 19 digits. Nothing in the
    number says which rule applies, so when both fail the article-number digit is reported:
    an arbitrary but fixed choice.
    """
    if re.fullmatch(r"\d{20}", number):
        as_printed = _gs1_mod10(number[:19])
        with_ai_91 = _gs1_mod10("91" + number[:19])
        found = number[-1]
        yield _checked(USPS, "usps20", found, with_ai_91 if found == with_ai_91 else as_printed)


def _read_s10(number: str) -> Iterator[_Reading]:
    match = re.fullmatch(r"[A-Z]{2}(\d{8})(\d)([A-Z]{2})", number)
    if not match:
        return
    serial, found, country = match.groups()
    if country not in S10_COUNTRY_CODES:
        # A corrected check digit would not make it valid, so the country is the problem.
        yield _Reading(USPS, "s10", BAD_COUNTRY)
    else:
        # S10 numbers are issued by many posts; USPS handles them for the US leg.
        yield _checked(USPS, "s10", found, _s10_check(serial))


def _read_ups(number: str) -> Iterator[_Reading]:
    if match := re.fullmatch(r"1Z([A-Z0-9]{15})(\d)", number):
        yield _checked(UPS, "ups_1z", match[2], _ups_mod10(match[1]))
    elif match := re.fullmatch(r"[AHJKTV](\d{9})(\d)", number):
        yield _checked(UPS, "ups_waybill", match[2], _ups_mod10(match[1]))


def _read_fedex(number: str) -> Iterator[_Reading]:
    if not number.isdigit():
        return
    length = len(number)
    if length == 34 and (number[0] in "012345678" or number.startswith("96")):
        # Express 34 ([0-8]...) and Ground GSN 34 (96...) share the check position.
        yield _checked(FEDEX, "fedex_34", number[33], _fedex_mod11(number[20:33]))
    elif length == 32 and number.startswith("3"):
        # ASTRA: an Express-12 number sits at positions 17-28, followed by 4 more digits.
        yield _checked(FEDEX, "fedex_astra32", number[27], _fedex_mod11(number[16:27]))
    elif length == 22 and number.startswith("96"):
        # The last 15 digits are a Ground-15 number.
        yield _checked(FEDEX, "fedex_ground96", number[21], _gs1_mod10(number[7:21]))
    elif length == 18 and number[:2] in ("00", "01", "02", "04"):
        # Upstream data checks the 15 digits after the container type, not all 17.
        yield _checked(FEDEX, "fedex_sscc18", number[17], _gs1_mod10(number[2:17]))
    elif length == 15:
        yield _checked(FEDEX, "fedex_ground15", number[14], _gs1_mod10(number[:14]))
    elif length == 12:
        yield _checked(FEDEX, "fedex_express12", number[11], _fedex_mod11(number[:11]))


def _read_dhl(number: str) -> Iterator[_Reading]:
    if re.fullmatch(r"\d{10,11}", number):
        yield _checked(DHL, "dhl_express", number[-1], _dhl_mod7(number[:-1]))
    elif re.fullmatch(r"J[A-Z]{2,3}\d{9,10}", number):
        # Piece IDs carry no check digit: the shape is all there is to verify.
        yield _Reading(DHL, "dhl_piece_id", None)


# Preference order: USPS before everyone else (see the module docstring).
_READERS: tuple[Callable[[str], Iterator[_Reading]], ...] = (
    _read_usps_routed,
    _read_usps_pic,
    _read_usps20,
    _read_s10,
    _read_ups,
    _read_fedex,
    _read_dhl,
)


def check(raw: str) -> TrackingCheck:
    """Say what `raw` is and whether its check digit holds.

    1. Normalise (case, spaces, hyphens, dots).
    2. Collect every reading whose shape matches, in preference order.
    3. The carrier of the first reading owns the string. This matters for 34 digits: a
       420+ZIP USPS number also has the FedEx 34 shape, and about one mistyped USPS number in
       ten passes FedEx's check. On a USPS desk "check digit wrong, please re-check" is the
       useful answer, so a string with a USPS shape is never reported as FedEx.
    4. Among the owner's readings the first passing one wins; if none passes, the first one
       reports its problem and expected check digit.
    """
    number = normalise(raw)
    # Past NFKC only ASCII can be a tracking number; checking here keeps the readers' \d
    # and isdigit() from accepting Arabic-Indic or other non-ASCII digits.
    readings = []
    if number.isascii():
        readings = [reading for read in _READERS for reading in read(number)]
    if not readings:
        return TrackingCheck(raw, number, None, None, valid=False, problem=UNKNOWN_FORMAT)
    owner = readings[0].carrier
    owned = [reading for reading in readings if reading.carrier == owner]
    best = next((reading for reading in owned if reading.problem is None), owned[0])
    return TrackingCheck(
        raw=raw,
        normalised=number,
        carrier=best.carrier,
        kind=best.kind,
        valid=best.problem is None,
        problem=best.problem,
        pic=best.pic,
        zip=best.zip,
        expected_check=best.expected_check,
    )


# --- free text ----------------------------------------------------------------------------

# Short checksums (DHL 10/11, FedEx 12/15, SSCC 18, UPS waybill) pass for about one random
# number in ten (upstream issue #71), so free text yields only long or lettered formats.
_FREE_TEXT_KINDS = frozenset(
    {"impb", "impb_routed", "usps20", "s10", "ups_1z", "fedex_34", "fedex_astra32",
     "fedex_ground96"}
)
_FREE_TEXT_LENGTHS = frozenset({13, 18, 20, 22, 26, 30, 32, 34, 38})
_LONGEST = max(_FREE_TEXT_LENGTHS)
_TOKEN = re.compile(r"[A-Za-z0-9]+")
# Between two groups of one number: a space or two, or one hyphen; never a line break, which
# would glue a number to whatever the next line starts with.
_GROUP_GAP = re.compile(r"[^\S\r\n]{1,2}|[^\S\r\n]?[-\u2010-\u2015][^\S\r\n]?")


def _can_be_a_group(token: str) -> bool:
    # Every group of a written number carries a digit, except S10's two service and two
    # country letters ("EC 207 920 162 US"). Without this, prose glues into numbers:
    # "1Z call parcel EC 0143" has the 1Z shape and passes its check one time in ten.
    return len(token) == 2 or any(char.isdigit() for char in token)


def _plausibly_grouped(result: TrackingCheck, groups: list[str]) -> bool:
    interior = groups[1:-1]
    if any(not any(char.isdigit() for char in group) for group in interior):
        return False
    # About one random 20-digit string in five passes one of the two legacy rules, so two
    # unrelated numbers side by side must not pass as one; legacy numbers are printed 4-4-4-4-4.
    if result.kind == "usps20" and len(groups) > 1:
        return [len(group) for group in groups] == [4] * 5
    return True


def find_in_text(text: str) -> list[TrackingCheck]:
    """Valid tracking numbers in free text, de-duplicated (by PIC for USPS), in order of
    appearance. Numbers may be written in groups ("9400 1118 ..."); from each starting group
    the longest run that forms a valid number wins, so "420 12345 9400..." is found as the
    routed form rather than as its bare PIC.
    """
    text = unicodedata.normalize("NFKC", text)
    tokens = list(_TOKEN.finditer(text))
    found: list[TrackingCheck] = []
    seen: set[str] = set()
    start = 0
    while start < len(tokens):
        best: TrackingCheck | None = None
        best_end = start
        joined = ""
        for end in range(start, len(tokens)):
            if not _can_be_a_group(tokens[end].group()):
                break
            if end > start and not _GROUP_GAP.fullmatch(
                text, tokens[end - 1].end(), tokens[end].start()
            ):
                break
            joined += tokens[end].group().upper()
            if len(joined) > _LONGEST:
                break
            if len(joined) not in _FREE_TEXT_LENGTHS:
                continue
            result = check(text[tokens[start].start():tokens[end].end()])
            groups = [token.group() for token in tokens[start:end + 1]]
            if result.valid and result.kind in _FREE_TEXT_KINDS and _plausibly_grouped(
                result, groups
            ):
                best, best_end = result, end
        if best is None:
            start += 1
            continue
        key = best.pic or best.normalised
        if key not in seen:
            seen.add(key)
            found.append(best)
        start = best_end + 1
    return found
