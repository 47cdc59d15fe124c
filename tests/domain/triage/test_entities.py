"""Entities in free text: every format, and the typos customers make in them."""

from datetime import date

import pytest

from postdesk.domain.triage.entities import (
    extract, find_addresses, find_dates, find_money, find_phones, find_tracking, find_zip_codes,
)

TODAY = date(2025, 9, 20)


def valid(text):
    return [item.number for item in find_tracking(text)[0] if item.valid]


def mistyped(text):
    return [item.number for item in find_tracking(text)[0] if not item.valid]


@pytest.mark.parametrize("written, number", [
    ("9400111899223818218407", "9400111899223818218407"),
    ("9400 1118 9922 3818 2184 07", "9400111899223818218407"),
    ("9400-1118-9922-3818-2184-07", "9400111899223818218407"),
    ("EC 207 920 162 US", "EC207920162US"),
    ("ec207920162us", "EC207920162US"),
    ("7013 1710 0000 1291 2087", "70131710000012912087"),
])
def test_usps_numbers_are_found_in_every_written_form_and_normalised(written, number):
    assert valid(f"My parcel {written} has not moved.") == [number]


def test_number_with_wrong_check_digit_is_flagged_as_a_typo_never_valid():
    found, _spans = find_tracking("Tracking 9400111899223818218408 shows nothing.")
    assert [(item.number, item.valid, item.problem, item.expected_check) for item in found] == [
        ("9400111899223818218408", False, "check_digit", "7")]


def test_mistyped_grouped_number_is_not_read_as_the_legacy_number_in_its_first_five_groups():
    # "9205 5900 3636 9684 6876" passes a legacy 20-digit rule by chance; the customer typed 22.
    text = "package 9205 5900 3636 9684 6876 36 is stuck"
    assert valid(text) == []
    assert mistyped(text) == ["9205590036369684687636"]


def test_ups_number_is_found_and_named_as_another_carrier():
    (item,), _spans = find_tracking("UPS says 1Z999AA10123456784 is on its way")
    assert (item.carrier_name, item.valid, item.other_carrier) == ("UPS", True, True)


def test_short_fedex_number_counts_only_when_fedex_is_named():
    # Twelve-digit checksums pass for one random number in ten: prose alone is no evidence.
    assert valid("Order 123456789012 please") == []
    assert valid("My FedEx number is 123456789012") == ["123456789012"]


def test_ordinary_numbers_are_not_tracking_numbers():
    assert find_tracking("Call 212 736 5000, ZIP 10001, order 4521, $1,250.00")[0] == []


def test_address_in_free_text_is_normalised():
    text = "I mailed a box on Sept 3 to 475 L'Enfant Plaza SW, Washington, DC 20260. Thanks"
    assert find_addresses(text) == (["475 LENFANT PLZ SW, WASHINGTON DC 20260"], ["20260"])


def test_multi_line_address_and_po_box_are_found():
    assert find_addresses("My address is\n123 N Main St Apt 4B\nSpringfield, IL 62704\nthanks")[0] == [
        "123 N MAIN ST APT 4B, SPRINGFIELD IL 62704"]
    assert find_addresses("send it to PO Box 1234, Austin TX 78701 please")[0] == ["PO BOX 1234, AUSTIN TX 78701"]


@pytest.mark.parametrize("text, zips", [
    ("my ZIP code is 10001", ["10001"]),
    ("PLZ: 10001", ["10001"]),
    ("código postal 10001", ["10001"]),
    ("Springfield, IL 62704", ["62704"]),
    ("deliver to 20260-0004 please", ["20260-0004"]),
    ("I waited 12345 minutes", []),          # no ZIP word, no state: just a number
    ("zip 00000", []),                      # no such ZIP
])
def test_zip_codes_need_a_zip_word_a_state_or_the_plus_four_form(text, zips):
    assert find_zip_codes(text) == zips


@pytest.mark.parametrize("text, language, phones", [
    ("call me at (212) 736-5000", "en", ["+12127365000"]),
    ("my number: 212.736.5000", "en", ["+12127365000"]),
    ("Rückruf unter +49 30 901820", "de", ["+4930901820"]),
    ("Rückruf unter 030 901820", "de", ["+4930901820"]),
    ("mi teléfono es +34 912 345 678", "es", ["+34912345678"]),
])
def test_phone_numbers_become_e164(text, language, phones):
    assert find_phones(text, language=language) == phones


def test_tracking_digits_are_never_read_as_a_phone_number():
    assert extract("parcel 9400111899223818218407", today=TODAY).phones == []


@pytest.mark.parametrize("text, language, iso", [
    ("mailed on Sept 3", "en", "2025-09-03"),
    ("mailed on sept. 3rd", "en", "2025-09-03"),
    ("mailed on September 3rd, 2024", "en", "2024-09-03"),
    ("sent 3 September", "en", "2025-09-03"),
    ("on the 3rd of Sep", "en", "2025-09-03"),
    ("shipped 9/3", "en", "2025-09-03"),
    ("shipped 9/3/2025", "en", "2025-09-03"),
    ("shipped 2025-09-03", "en", "2025-09-03"),
    ("am 3. September verschickt", "de", "2025-09-03"),
    ("am 3. Sept. verschickt", "de", "2025-09-03"),
    ("am 03.09.2025 verschickt", "de", "2025-09-03"),
    ("am 3.9. verschickt", "de", "2025-09-03"),
    ("el 3 de septiembre", "es", "2025-09-03"),
    ("el 3 de setiembre de 2025", "es", "2025-09-03"),
    ("enviado el 3/9", "es", "2025-09-03"),
])
def test_dates_in_english_german_and_spanish(text, language, iso):
    assert [item["date"] for item in find_dates(text, language=language, today=TODAY)] == [iso]


def test_a_date_without_year_far_in_the_future_is_last_year():
    assert find_dates("mailed on Dec 28", today=date(2026, 1, 10))[0]["date"] == "2025-12-28"


@pytest.mark.parametrize("text, language, iso", [
    ("the deadline is tomorrow", "en", "2025-09-21"),
    ("Frist ist morgen", "de", "2025-09-21"),
    ("vence mañana", "es", "2025-09-21"),
    ("today please", "en", "2025-09-20"),
])
def test_relative_dates_are_resolved(text, language, iso):
    assert [item["date"] for item in find_dates(text, language=language, today=TODAY)] == [iso]


def test_morning_is_not_tomorrow():
    assert find_dates("llegó esta mañana", language="es", today=TODAY) == []
    assert find_dates("Guten Morgen, heute Morgen kam nichts", language="de", today=TODAY) == [
        {"text": "heute", "date": "2025-09-20", "relative": "heute"}]


def test_numbers_with_a_dot_are_not_dates():
    assert find_dates("it weighs 3.5 pounds", today=TODAY) == []


@pytest.mark.parametrize("text, language, amount, currency", [
    ("insured for $1,250.00", "en", "1250.00", "USD"),
    ("insured for $ 45", "en", "45.00", "USD"),
    ("it cost 20 dollars", "en", "20.00", "USD"),
    ("it cost USD 12.50", "en", "12.50", "USD"),
    ("Wert 45,99 €", "de", "45.99", "EUR"),
    ("Wert 1.250,00 €", "de", "1250.00", "EUR"),
    ("Wert 80 Euro", "de", "80.00", "EUR"),
    ("me cobraron 34,50 dólares", "es", "34.50", "USD"),
    ("vale 1.250 dólares", "es", "1250.00", "USD"),
])
def test_money_amounts(text, language, amount, currency):
    assert [(item["amount"], item["currency"]) for item in find_money(text, language=language)] == [
        (amount, currency)]


def test_extract_gives_json_ready_entities_and_search_keys():
    entities = extract("Parcel 9400111899223818218407 worth $45, call (212) 736-5000, mailed Sept 3",
                       today=TODAY)
    keys = entities.search_keys()
    assert ("tracking", "9400111899223818218407") in keys
    assert ("phone", "+12127365000") in keys
    assert ("money", "45.00 USD") in keys
    assert ("date", "2025-09-03") in keys
    assert entities.as_json()["tracking_numbers"][0]["carrier_name"] == "USPS"


def test_mistyped_numbers_are_never_search_keys():
    entities = extract("Tracking 9400111899223818218408", today=TODAY)
    assert entities.mistyped_tracking and entities.search_keys() == []
