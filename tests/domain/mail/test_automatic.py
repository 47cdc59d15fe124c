"""Machine mail: auto-replies, out-of-office, bulk, bounces, spam flags (hand-made fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from postdesk.domain.mail import Automatic, BounceReport, parse

FIXTURES = Path(__file__).parent / "fixtures"


def parse_fixture(name: str):
    return parse((FIXTURES / name).read_bytes())


@pytest.mark.parametrize(("name", "kind"), [
    ("auto_replied.eml", Automatic.AUTO_REPLY),
    ("ooo_de.eml", Automatic.OUT_OF_OFFICE),
    ("ooo_es.eml", Automatic.OUT_OF_OFFICE),
    ("ooo_suppress_body.eml", Automatic.OUT_OF_OFFICE),
    ("bulk_precedence.eml", Automatic.BULK),
    ("list_id.eml", Automatic.BULK),
    ("noreply_sender.eml", Automatic.SYSTEM_SENDER),
    ("dsn_bounce.eml", Automatic.BOUNCE),
    ("qmail_bounce.eml", Automatic.BOUNCE),
])
def test_machine_mail_is_recognised(name, kind):
    assert parse_fixture(name).automatic is kind


def test_outlook_suppress_header_on_a_customer_mail_is_not_an_auto_reply():
    # Outlook sets X-Auto-Response-Suppress on ordinary mail; "Automatic" in the subject is the
    # customer's word for the parcel locker.
    result = parse_fixture("personal_with_outlook_suppress.eml")
    assert result.automatic is None and result.bounce is None and not result.spam
    assert result.from_address == "jane.customer@example.com"


def test_rfc3464_report_names_the_bounced_message_recipient_and_status():
    result = parse_fixture("dsn_bounce.eml")
    assert result.bounce == BounceReport(
        original_message_id="<case-123.msg-456@help.postdesk.example.org>",
        failed_recipients=("jane.doe@example.com",),
        status="5.1.1",
        diagnostic="550 5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown",
        permanent=True,
    )
    assert result.from_address == "mailer-daemon@mx.example.net"
    assert [a.content_type for a in result.attachments] == [
        "message/delivery-status", "text/rfc822-headers"]


def test_mailer_daemon_bounce_without_a_report_part_is_read_heuristically():
    bounce = parse_fixture("qmail_bounce.eml").bounce
    assert bounce.original_message_id == "<case-124.msg-9@help.postdesk.example.org>"
    assert bounce.failed_recipients == ("old.customer@example.org",)
    assert (bounce.status, bounce.permanent) == ("5.1.1", True)


def test_delayed_delivery_is_transient():
    raw = (FIXTURES / "dsn_bounce.eml").read_bytes()
    raw = raw.replace(b"Action: failed", b"Action: delayed").replace(b"Status: 5.1.1", b"Status: 4.4.1")
    bounce = parse(raw).bounce
    assert (bounce.status, bounce.permanent) == ("4.4.1", False)


def test_a_report_that_everything_was_delivered_is_no_bounce():
    raw = (FIXTURES / "dsn_bounce.eml").read_bytes().replace(b"Action: failed", b"Action: delivered")
    assert parse(raw).bounce is None


def test_spam_flags_from_upstream_filters():
    assert parse_fixture("spam_flag.eml").spam
    plain = (FIXTURES / "auto_replied.eml").read_bytes()
    assert not parse(plain).spam
    for header in (b"X-Spam-Flag: YES", b"X-Spam-Status: Yes, score=9", b"X-Spam: yes"):
        assert parse(header + b"\n" + plain).spam
    assert not parse(b"X-Spam-Status: No, score=0.1\n" + plain).spam


def test_auto_submitted_no_is_a_person():
    raw = (FIXTURES / "auto_replied.eml").read_bytes().replace(
        b"Auto-Submitted: auto-replied", b"Auto-Submitted: no")
    assert parse(raw).automatic is None


def test_auto_generated_and_x_autoreply():
    raw = (FIXTURES / "auto_replied.eml").read_bytes()
    assert parse(raw.replace(b"auto-replied", b"auto-generated")).automatic is Automatic.AUTO_GENERATED
    assert parse(raw.replace(b"Auto-Submitted: auto-replied", b"X-Autoreply: yes")).automatic is (
        Automatic.AUTO_REPLY)
    assert parse(raw.replace(b"Auto-Submitted: auto-replied", b"X-Autorespond: yes")).automatic is (
        Automatic.AUTO_REPLY)


@pytest.mark.parametrize("subject", [
    "Out of Office: Your case", "Automatic reply: Your case", "Abwesenheitsnotiz: Ihr Fall",
    "Automatische Antwort: Ihr Fall", "Respuesta automática: Su caso", "Fuera de la oficina",
])
def test_out_of_office_subjects(subject):
    raw = (FIXTURES / "personal_with_outlook_suppress.eml").read_bytes().replace(
        b"Subject: Automatic parcel locker did not open",
        b"Subject: " + subject.encode("utf-8"))
    assert parse(raw).automatic is Automatic.OUT_OF_OFFICE


def test_pgp_encrypted_mail_from_the_rt_corpus_is_marked_encrypted():
    from tests.domain.mail import corpora

    path = corpora.corpora_dir() / "rt/t/data/gnupg/emails/7-encrypted-MIME-plain.txt"
    if not path.is_file():
        if corpora.corpora_required():
            pytest.fail(f"{path} missing")
        pytest.skip("corpora not available")
    result = parse(path.read_bytes())
    assert result.encrypted and result.text == ""
    assert [a.content_type for a in result.attachments] == [
        "application/pgp-encrypted", "application/octet-stream"]
