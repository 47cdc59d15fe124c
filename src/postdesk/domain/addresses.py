"""US postal addresses as customers type them, normalised to Publication 28 style.

Street addresses go through usaddress-scourgify (upper case, standard suffix, directional and
unit abbreviations). scourgify refuses every PO Box, rural-route and military box address
(its issue #8), and PO Boxes are a topic of their own at a post office, so those are rebuilt
here from usaddress's token labels. The ZIP is then checked offline against the `zipcodes`
dataset, which also says which state a ZIP belongs to.

Problem codes on `AddressResult.problem`, in the order they are checked:
    "unparseable"         no street or box line could be recognised
    "missing_city"
    "missing_state"
    "unknown_state"       not a USPS state, territory or military code
    "missing_zip"
    "unknown_zip"         malformed, or no such ZIP in the dataset
    "zip_state_mismatch"  the ZIP exists but belongs to another state
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import usaddress
import zipcodes
from scourgify import normalize_address_record
from scourgify.exceptions import AddressNormalizationError
from scourgify.normalize import normalize_city, normalize_state

UNPARSEABLE = "unparseable"
MISSING_CITY = "missing_city"
MISSING_STATE = "missing_state"
UNKNOWN_STATE = "unknown_state"
MISSING_ZIP = "missing_zip"
UNKNOWN_ZIP = "unknown_zip"
ZIP_STATE_MISMATCH = "zip_state_mismatch"

# USPS two-letter codes: states, DC, territories, freely associated states and the military
# "states" AA/AE/AP. The same 62 codes the zipcodes dataset uses.
STATE_CODES = frozenset(
    """
    AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ
    NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
    AS GU MP PR VI FM MH PW AA AE AP
    """.split()
)

_ZIP_FORMAT = re.compile(r"[0-9]{5}(?:-[0-9]{4})?")
_BOX_LABELS = frozenset(
    {"USPSBoxType", "USPSBoxID", "USPSBoxGroupType", "USPSBoxGroupID", "OccupancyType",
     "OccupancyIdentifier"}
)
_LAST_LINE_LABELS = frozenset({"PlaceName", "StateName", "ZipCode", "CountryName"})
_BOX_GROUP_TYPES = {
    "RURAL ROUTE": "RR", "RURAL RTE": "RR", "RR": "RR", "R R": "RR", "RTE": "RR", "ROUTE": "RR",
    "HIGHWAY CONTRACT": "HC", "HWY CONTRACT": "HC", "HC": "HC", "STAR ROUTE": "HC",
}


@dataclass(frozen=True)
class AddressResult:
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    zip: str | None
    one_line: str | None  # "123 N MAIN ST APT 4B, SPRINGFIELD IL 62704" once all parts exist
    problem: str | None

    @property
    def valid(self) -> bool:
        return self.problem is None


def normalise_us_address(text: str) -> AddressResult:
    # scourgify glues the last word of one line to the first of the next ("ST\nSPRINGFIELD"
    # becomes "STSPRINGFIELD"), so lines become comma-separated parts first.
    flat = ", ".join(line.strip(" ,") for line in text.splitlines() if line.strip(" ,"))
    parts = _street_address(flat) or _box_address(flat)
    if parts is None:
        return AddressResult(None, None, None, None, None, None, UNPARSEABLE)
    line1, line2, city, state, zip_code = parts
    problem = _problem(city, state, zip_code)
    one_line = None
    if city and state and zip_code:
        street = f"{line1} {line2}" if line2 else line1
        one_line = f"{street}, {city} {state} {zip_code}"
    return AddressResult(line1, line2, city, state, zip_code, one_line, problem)


# line1, line2, city, state, ZIP
_Parts = tuple[str, str | None, str | None, str | None, str | None]


def _street_address(text: str) -> _Parts | None:
    try:
        record = normalize_address_record(text)
    except AddressNormalizationError:
        return None
    if not record.get("address_line_1"):
        return None
    return (
        record["address_line_1"],
        record.get("address_line_2") or None,
        record.get("city") or None,
        record.get("state") or None,
        record.get("postal_code") or None,
    )


def _box_address(text: str) -> _Parts | None:
    """PO Box, rural route ("RR 2 BOX 45") and military box ("UNIT 2050 BOX 4190") addresses.

    Built from usaddress.parse rather than usaddress.tag because tag gives up when a label
    repeats, which military boxes ("PSC 802 BOX 74") always do.
    """
    runs: list[tuple[str, str]] = []  # consecutive tokens with one label, joined
    for token, label in usaddress.parse(text):
        token = token.strip(",;")
        if runs and runs[-1][0] == label:
            runs[-1] = (label, f"{runs[-1][1]} {token}")
        else:
            runs.append((label, token))
    labels = {label for label, _ in runs}
    if "USPSBoxID" not in labels or not labels <= _BOX_LABELS | _LAST_LINE_LABELS:
        return None
    in_a_group = bool(labels & {"USPSBoxGroupType", "OccupancyType"}) or any(
        label == "USPSBoxType" and "BOX" not in _clean(value) for label, value in runs
    )
    line1_parts = [
        _box_component(label, value, in_a_group) for label, value in runs if label in _BOX_LABELS
    ]
    # Dots go without a trace on the last line: "D.C." must become "DC", not "D C".
    last_line = {
        label: _clean(value.replace(".", "")) for label, value in runs if label in _LAST_LINE_LABELS
    }
    city = last_line.get("PlaceName")
    state = last_line.get("StateName")
    return (
        " ".join(line1_parts),
        None,
        normalize_city(city) if city else None,
        normalize_state(state) if state else None,
        last_line.get("ZipCode"),
    )


def _box_component(label: str, value: str, in_a_group: bool) -> str:
    value = _clean(value)
    if label == "USPSBoxType" and "BOX" in value:
        # Pub 28: "PO BOX 123" on its own; inside a rural route or military unit just "BOX".
        return "BOX" if in_a_group else "PO BOX"
    if label == "USPSBoxGroupType":
        return _BOX_GROUP_TYPES.get(value, value)
    return value


def _clean(value: str) -> str:
    # "P.O." must not become "PO" glued to a following token, hence a space per dot.
    return " ".join(value.replace(".", " ").upper().split())


def _problem(city: str | None, state: str | None, zip_code: str | None) -> str | None:
    if not city:
        return MISSING_CITY
    if not state:
        return MISSING_STATE
    if state not in STATE_CODES:
        return UNKNOWN_STATE
    if not zip_code:
        return MISSING_ZIP
    if not _ZIP_FORMAT.fullmatch(zip_code):
        return UNKNOWN_ZIP
    known = zipcodes.matching(zip_code[:5])
    if not known:
        return UNKNOWN_ZIP
    if state not in {entry["state"] for entry in known}:
        return ZIP_STATE_MISMATCH
    return None
