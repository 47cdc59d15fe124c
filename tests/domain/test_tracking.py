"""Tracking-number rules, checked against the labelled examples and the upstream test numbers in
../shared/reference (see DOMAIN.md section 1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from postdesk.domain.tracking import check, find_in_text, normalise

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("POSTDESK_SHARED") or REPO_ROOT.parent / "shared")
EXAMPLES_FILE = SHARED / "reference" / "usps_tracking_examples.json"
COURIERS_DIR = SHARED / "reference" / "tracking_number_data" / "couriers"


def require_shared_data() -> None:
    """Missing reference data is a broken checkout in CI, and merely absent on a laptop."""
    if EXAMPLES_FILE.is_file() and COURIERS_DIR.is_dir():
        return
    message = f"shared reference data not found under {SHARED} (set POSTDESK_SHARED)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# A stand-in parameter so that missing data reaches require_shared_data instead of silently
# collecting zero tests.
MISSING = pytest.param(None, id="shared-data-missing")


# --- the 170 labelled USPS / S10 examples ---------------------------------------------------

KIND_BY_EXAMPLE_GROUP = {
    "impb22": "impb",
    "impb26": "impb",
    "impb30": "impb_routed",
    "impb34": "impb_routed",
    "legacy20": "usps20",
    "s10": "s10",
}


def labelled_examples() -> list:
    if not EXAMPLES_FILE.is_file():
        return [MISSING]
    data = json.loads(EXAMPLES_FILE.read_text())
    return [
        pytest.param((group, label, entry), id=f"{group}-{label}-{entry['number']}")
        for group, by_label in data.items()
        for label, entries in by_label.items()
        for entry in entries
    ]


def expected_problem(source: str) -> str:
    """The problem code the example's provenance implies."""
    if source.startswith(("truncated", "one digit too many", "digit in service-indicator")):
        return "unknown_format"
    if "non-ISO country" in source:
        return "bad_country"
    return "check_digit"  # check digit +1, adjacent transpositions, USPS's own samples


def test_shared_reference_data_is_present_and_complete():
    require_shared_data()
    data = json.loads(EXAMPLES_FILE.read_text())
    count = sum(len(entries) for by_label in data.values() for entries in by_label.values())
    assert count == 170
    assert set(data) == set(KIND_BY_EXAMPLE_GROUP)


@pytest.mark.parametrize("example", labelled_examples())
def test_labelled_example_gets_its_label(example):
    if example is None:
        require_shared_data()
    group, label, entry = example
    result = check(entry["number"])
    assert entry["own_valid"] is (label == "valid")
    assert result.valid is (label == "valid")
    if label == "valid":
        assert (result.carrier, result.kind, result.problem) == (
            "usps", KIND_BY_EXAMPLE_GROUP[group], None
        )
    else:
        assert result.problem == expected_problem(entry["source"])


# --- upstream jkeen/tracking_number_data test numbers -----------------------------------------

UPSTREAM_FILES = ("usps", "ups", "fedex", "dhl", "s10")
# Upstream definition name -> (our carrier, the kinds we may report for its valid numbers).
UPSTREAM_DEFINITIONS = {
    "USPS 20": ("usps", {"usps20"}),
    "USPS IMpb N": ("usps", {"impb", "impb_routed"}),
    "USPS IMpb C": ("usps", {"impb", "impb_routed"}),
    # Upstream "Legacy" is AI 91 with or without the 91 printed: a 22-digit PIC for us when
    # it is, a 20-digit legacy number when it is not.
    "USPS Legacy": ("usps", {"impb", "impb_routed", "usps20"}),
    "UPS": ("ups", {"ups_1z"}),
    "UPS Waybill": ("ups", {"ups_waybill"}),
    "FedEx Express (12)": ("fedex", {"fedex_express12"}),
    "FedEx Express (34)": ("fedex", {"fedex_34"}),
    "FedEx Ground GSN": ("fedex", {"fedex_34"}),  # same check position as Express 34
    "FedEx ASTRA (32)": ("fedex", {"fedex_astra32"}),
    "FedEx Ground": ("fedex", {"fedex_ground15"}),
    "FedEx Ground (SSCC-18)": ("fedex", {"fedex_sscc18"}),
    "FedEx Ground 96 (22)": ("fedex", {"fedex_ground96"}),
    "DHL Express": ("dhl", {"dhl_express"}),
    "DHL Express (Piece ID)": ("dhl", {"dhl_piece_id"}),
    "S10": ("usps", {"s10"}),
}
# Deliberately not implemented, so upstream's *valid* numbers for them are unknown to us.
NOT_IMPLEMENTED = {
    # No check digit, and its pattern claims every LX...US S10 number (DOMAIN.md 1.6, point 5):
    # recognising it would turn USPS registered mail into "ask DHL".
    "DHL E-Commerce",
    # Any 14 digits, no check digit: indistinguishable from an order or phone number.
    "DHL E-Commerce (14)",
}


def upstream_numbers() -> list:
    if not COURIERS_DIR.is_dir():
        return [MISSING]
    params = []
    for courier in UPSTREAM_FILES:
        data = json.loads((COURIERS_DIR / f"{courier}.json").read_text())
        for definition in data["tracking_numbers"]:
            for label in ("valid", "invalid"):
                for number in definition["test_numbers"].get(label, []):
                    case = (definition["name"], label, number)
                    params.append(pytest.param(case, id=f"{definition['name']}-{label}-{number}"))
    return params


def test_every_upstream_definition_is_mapped_or_declared_not_implemented():
    require_shared_data()
    names = {
        definition["name"]
        for courier in UPSTREAM_FILES
        for definition in json.loads((COURIERS_DIR / f"{courier}.json").read_text())[
            "tracking_numbers"
        ]
    }
    assert names == set(UPSTREAM_DEFINITIONS) | NOT_IMPLEMENTED


@pytest.mark.parametrize("case", upstream_numbers())
def test_upstream_test_number_gets_its_label(case):
    if case is None:
        require_shared_data()
    name, label, number = case
    result = check(number)
    if name in NOT_IMPLEMENTED:
        assert not result.valid
    elif label == "valid":
        carrier, kinds = UPSTREAM_DEFINITIONS[name]
        assert result.valid, result
        assert result.carrier == carrier
        assert result.kind in kinds
    else:
        # Every upstream "invalid" number is invalid for us as well, sometimes under another
        # format: IMpb C's "61299998820821171811" is a 20-digit legacy number with a wrong
        # check digit, and "4201028200009261290113185417468511" stays a mistyped USPS number
        # although upstream's FedEx 34 pattern also fits it.
        assert not result.valid, result


# --- normalisation ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "typed",
    [
        "9400 1118 9922 3818 2184 07",
        "9400-1118-9922-3818-2184-07",
        "9400.1118.9922.3818.2184.07",
        "  9400\t1118\u00a09922 3818 2184 07\n",
        "9400\u20131118\u20139922\u20133818\u20132184\u201307",  # en dashes from a word processor
        "\uff19\uff14\uff10\uff10111899223818218407",  # full-width digits from a CJK keyboard
    ],
)
def test_separators_and_width_variants_are_ignored(typed):
    assert normalise(typed) == "9400111899223818218407"
    assert check(typed).valid


def test_non_ascii_digits_are_not_a_tracking_number():
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in "9400111899223818218407")
    assert check(arabic_indic).problem == "unknown_format"


def test_lower_case_s10_and_ups_numbers_are_upper_cased():
    assert normalise("ec 207 920 162 us") == "EC207920162US"
    assert check("ec 207 920 162 us").valid
    assert check("1z5r89390357567127").kind == "ups_1z"


# --- verdict details --------------------------------------------------------------------------

def test_typo_in_check_digit_reports_the_expected_digit():
    result = check("9400 1118 9922 3818 2184 08")
    assert (result.valid, result.problem, result.expected_check) == (False, "check_digit", "7")
    assert (result.carrier, result.kind) == ("usps", "impb")


def test_routed_barcode_gives_pic_and_zip():
    result = check("420 22153 9101026837331000039521")
    assert (result.kind, result.pic, result.zip) == (
        "impb_routed", "9101026837331000039521", "22153"
    )


def test_routed_34_digit_forms_are_told_apart_by_which_check_passes():
    zip_plus_4 = check("4209215512349505500020714300000128")
    assert (zip_plus_4.zip, zip_plus_4.pic) == ("92155-1234", "9505500020714300000128")
    long_serial = check("4205690192023901019233001401555746")
    assert (long_serial.zip, long_serial.pic) == ("56901", "92023901019233001401555746")


def test_routed_38_digit_form_is_accepted():
    result = check("420" + "921551234" + "92748931507708513018050063")
    assert (result.valid, result.zip, result.pic) == (
        True, "92155-1234", "92748931507708513018050063"
    )
    assert check("420" + "921551234" + "92748931507708513018050064").problem == "check_digit"


def test_mistyped_routed_usps_number_is_not_reported_as_fedex():
    # One digit of a real 420+ZIP+4 number mistyped; the result happens to pass FedEx's
    # 34-digit check, as the same digits with a non-USPS first digit show.
    mistyped = "4201028200009261290113185417468500"
    assert check("5" + mistyped[1:]).kind == "fedex_34"
    result = check(mistyped)
    assert (result.carrier, result.problem, result.expected_check) == ("usps", "check_digit", "3")
    assert not result.other_carrier


def test_usps_number_that_also_passes_fedex_34_stays_usps():
    result = check("4201028200009261290113185417468510")
    assert (result.carrier, result.kind, result.valid) == ("usps", "impb_routed", True)


def test_legacy_20_digit_numbers_pass_under_either_rule():
    assert check("70131710000012912087").valid  # Certified Mail article number, as printed
    assert check("71969010756003077385").valid  # Delivery Confirmation with AI 91 implied
    # ...which is why the same number with its AI printed is a valid 22-digit PIC.
    assert check("9171969010756003077385").kind == "impb"


def test_s10_with_unknown_country_is_a_country_problem():
    result = check("EC207920162XX")
    assert (result.valid, result.problem, result.expected_check) == (False, "bad_country", None)


def test_other_carriers_are_flagged_only_when_valid():
    ups = check("1Z5R89390357567127")
    assert (ups.carrier, ups.is_usps, ups.other_carrier) == ("ups", False, True)
    assert not check("1Z5R89390357567128").other_carrier
    usps = check("9400111899223818218407")
    assert (usps.is_usps, usps.other_carrier) == (True, False)


@pytest.mark.parametrize(
    "typed", ["", "hello", "12345", "9400 1118 9922 3", "#9400111899223818218407"]
)
def test_unrecognised_input_is_unknown_format(typed):
    result = check(typed)
    assert (result.valid, result.problem, result.carrier, result.kind) == (
        False, "unknown_format", None, None
    )


def test_dhl_express_is_recognised_with_its_mod_7_check():
    assert check("3318810025").kind == "dhl_express"
    assert check("3318810026").expected_check == "5"


# --- free text ---------------------------------------------------------------------------------

def test_finds_numbers_in_an_email_in_order_without_duplicates():
    text = (
        "Hi, my package 9400 1118 9922 3818 2184 07 hasn't arrived. The label's barcode reads\n"
        "420 22153 9101026837331000039521 and my friend's is ec207920162us.\n"
        "Certified 7013 1710 0000 1291 2087. UPS: 1Z5R89390357567127.\n"
        "Again: 9400111899223818218407, and Tracking#9405511899223830661741."
    )
    found = find_in_text(text)
    assert [result.normalised for result in found] == [
        "9400111899223818218407",
        "420221539101026837331000039521",
        "EC207920162US",
        "70131710000012912087",
        "1Z5R89390357567127",
        "9405511899223830661741",
    ]
    assert found[0].raw == "9400 1118 9922 3818 2184 07"


def test_routed_form_and_its_bare_pic_count_once():
    found = find_in_text("9101026837331000039521, i.e. 420 22153 9101026837331000039521")
    assert [result.normalised for result in found] == ["9101026837331000039521"]


def test_free_text_ignores_numbers_with_wrong_check_digits():
    assert find_in_text("my number is 9400 1118 9922 3818 2184 08, please help") == []


def test_free_text_ignores_short_checksum_formats():
    # Valid DHL Express, FedEx Express 12 and FedEx Ground 15 numbers: in prose they are as
    # likely to be order or phone numbers, so only check() (a tracking field) reports them.
    assert find_in_text("ref 3318810025, 986578788855 and 041441760228964") == []


def test_two_ten_digit_numbers_side_by_side_are_not_a_legacy_number():
    assert find_in_text("account 7013171000 0012912087") == []
    assert [r.kind for r in find_in_text("article 7013 1710 0000 1291 2087")] == ["usps20"]


def test_prose_words_are_not_glued_into_a_number():
    glued = next(
        f"1ZCALL12345678901{digit}" for digit in "0123456789"
        if check(f"1ZCALL12345678901{digit}").valid
    )
    assert find_in_text(f"1Z call {glued[6:]}") == []


def test_s10_letters_may_stand_apart_from_the_digits():
    found = find_in_text("UPS 1Z 5R8 939 03 5756 712 7 and USPS EC 207 920 162 US")
    assert [result.normalised for result in found] == ["1Z5R89390357567127", "EC207920162US"]


def test_groups_are_not_joined_across_line_breaks():
    assert find_in_text("9400 1118 9922\n3818 2184 07") == []
