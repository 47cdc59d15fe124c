"""The IMAP poller against a real Dovecot on 127.0.0.1 (tests/intake/dovecot.py).

The poller runs its mailboxes in threads, so every test uses a transactional database.
"""

from __future__ import annotations

import threading
import time
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from postdesk.cases.models import Case, Message
from postdesk.intake.channels import imap
from postdesk.intake.channels.email import TemporaryFailure
from postdesk.intake.imap_poller import poll_forever
from postdesk.intake.models import BlockedSender, Mailbox, QuarantinedEmail
from tests.conftest import REQUIRE_SERVICES
from tests.intake.dovecot import PASSWORD, Dovecot, require_dovecot

PROCESSED = "Postdesk.Processed"  # the default "Postdesk/Processed" in Dovecot's Maildir spelling
QUARANTINE = "Postdesk.Quarantine"


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot(require_dovecot(REQUIRE_SERVICES))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def _defaults_back_after_flush(django_db_blocker):
    """The flush after a transactional test empties every table, the departments and topics of
    the data migration included; put them back for whichever test runs next. (Requested
    before ``transactional_db``, so this teardown runs after its flush.)"""
    yield
    from postdesk.cases import defaults

    with django_db_blocker.unblock():
        defaults.install()


@pytest.fixture
def desk(_defaults_back_after_flush, transactional_db):
    """The departments the mailboxes file into (the previous test's flush removed them)."""
    from postdesk.cases import defaults
    from postdesk.cases.models import Department

    defaults.install()
    return {"tracking": Department.objects.get(slug="tracking"),
            "claims": Department.objects.get(slug="claims")}


def make_mailbox(dovecot, monkeypatch, department, *, name=None, **fields) -> Mailbox:
    name = name or dovecot.new_user("support")
    values = dict(name=name, host=dovecot.host, port=dovecot.port, use_ssl=False, username=name,
                  department=department)
    values.update(fields)
    mailbox = Mailbox.objects.create(**values)
    monkeypatch.setenv(imap.password_variable(mailbox), PASSWORD)
    return mailbox


def email(sender: str, body: str = "My parcel has not moved for a week.", *,
          subject: str = "Where is my parcel?", from_header: bool = True,
          name: str = "Customer") -> bytes:
    lines = [f"From: {name} <{sender}>"] if from_header else []
    lines += [
        "To: support@postdesk.test",
        f"Subject: {subject}",
        f"Message-ID: <{uuid.uuid4().hex}@example.com>",
        "Date: Thu, 26 Nov 2026 10:00:00 +0000",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "",
        body,
        "",
    ]
    return "\r\n".join(lines).encode()


def customer(n: int) -> str:
    return f"customer{n}-{uuid.uuid4().hex[:6]}@example.com"


def _read(query):
    """A read while poller threads run: on the suite's in-memory SQLite it takes its turn."""
    with imap.database_turn():
        return query()


def poll(*names: str):
    reports = poll_forever(once=True, names=list(names) or None)
    return {report.name: report for report in reports}


def test_two_mailboxes_file_their_mail_in_their_own_departments_and_move_it(dovecot, desk, monkeypatch):
    tracking = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    claims = make_mailbox(dovecot, monkeypatch, desk["claims"])
    tracking_senders, claims_senders = [customer(1), customer(2)], [customer(3)]
    dovecot.append(tracking.username, *(email(s) for s in tracking_senders))
    dovecot.append(claims.username, *(email(s, "The vase arrived broken.") for s in claims_senders))

    reports = poll(tracking.name, claims.name)

    assert reports[tracking.name].summary() == f"{tracking.name}: 2 fetched (2 ingested)"
    assert reports[claims.name].summary() == f"{claims.name}: 1 fetched (1 ingested)"
    for sender in tracking_senders:
        assert Case.objects.get(customer__email=sender).department.slug == "tracking"
    assert Case.objects.get(customer__email=claims_senders[0]).department.slug == "claims"
    assert Message.objects.get(case__customer__email=claims_senders[0]).channel == "email"
    assert dovecot.folder(tracking.username, "INBOX") == {}
    assert len(dovecot.folder(tracking.username, PROCESSED)) == 2
    assert len(dovecot.folder(claims.username, PROCESSED)) == 1
    tracking.refresh_from_db()
    assert tracking.last_uid == 2 and tracking.uidvalidity and tracking.last_polled_at
    assert tracking.last_error == ""


def test_polling_again_never_duplicates_even_a_message_taken_in_but_not_moved(dovecot, desk, monkeypatch):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    raw = email(customer(1))
    dovecot.append(mailbox.username, raw)
    poll(mailbox.name)
    assert poll(mailbox.name)[mailbox.name].summary() == f"{mailbox.name}: 0 fetched"

    # The poller was killed after taking the message in, before moving it: it is still there.
    dovecot.append(mailbox.username, raw)
    report = poll(mailbox.name)[mailbox.name]

    assert report.summary() == f"{mailbox.name}: 1 fetched (1 duplicate)"
    assert Case.objects.count() == 1 and Message.objects.count() == 1
    assert dovecot.folder(mailbox.username, "INBOX") == {}


def test_flag_mode_flags_in_place_and_takes_only_new_mail_next_round(dovecot, desk, monkeypatch):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["claims"], after_processing="flag")
    dovecot.append(mailbox.username, email(customer(1)), email(customer(2)))
    poll(mailbox.name)

    inbox = dovecot.folder(mailbox.username, "INBOX")
    assert len(inbox) == 2
    for _raw, flags in inbox.values():
        assert {b"\\Seen", b"$PostdeskProcessed"} <= set(flags)
    assert dovecot.folder(mailbox.username, PROCESSED) == {}

    dovecot.append(mailbox.username, email(customer(3)))
    assert poll(mailbox.name)[mailbox.name].summary() == f"{mailbox.name}: 1 fetched (1 ingested)"
    assert Case.objects.filter(department__slug="claims").count() == 3

    # Even with last_uid lost, the keyword keeps flagged mail from being fetched again.
    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=0)
    assert poll(mailbox.name)[mailbox.name].summary() == f"{mailbox.name}: 0 fetched"


def test_poison_message_is_quarantined_and_copied_and_the_mail_after_it_is_taken_in(
        dovecot, desk, monkeypatch, settings):
    settings.POSTDESK_IMAP_BATCH = 2  # three messages: two fetch batches
    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    first, last = customer(1), customer(3)
    poison = email("", subject="No sender at all", from_header=False)
    dovecot.append(mailbox.username, email(first), poison, email(last))

    report = poll(mailbox.name)[mailbox.name]

    assert report.summary() == f"{mailbox.name}: 3 fetched (2 ingested, 1 quarantined)"
    assert Case.objects.filter(customer__email__in=[first, last]).count() == 2
    quarantined = QuarantinedEmail.objects.get()
    assert (quarantined.reason, quarantined.error) == ("error", "no usable sender address")
    assert (quarantined.source, quarantined.mailbox, quarantined.subject) == (
        "imap", mailbox.name, "No sender at all")
    assert [raw for raw, _flags in dovecot.folder(mailbox.username, QUARANTINE).values()] == [poison]
    assert len(dovecot.folder(mailbox.username, PROCESSED)) == 3
    assert dovecot.folder(mailbox.username, "INBOX") == {}

    # Seen once, quarantined once: not fetched again, not quarantined twice.
    poll(mailbox.name)
    assert QuarantinedEmail.objects.count() == 1


def test_database_trouble_stops_the_round_without_skipping_the_message(dovecot, desk, monkeypatch):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    senders = [customer(1), customer(2), customer(3)]
    dovecot.append(mailbox.username, *(email(s) for s in senders))
    real_receive = imap.receive_email
    calls = []

    def database_gone_on_second_message(raw, **kwargs):
        calls.append(raw)
        if len(calls) == 2:
            raise TemporaryFailure("could not connect to server")
        return real_receive(raw, **kwargs)

    monkeypatch.setattr(imap, "receive_email", database_gone_on_second_message)
    report = poll(mailbox.name)[mailbox.name]

    assert report.summary() == (f"{mailbox.name}: 2 fetched (1 ingested); "
                                "stopped early: database unavailable: could not connect to server")
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 1
    assert mailbox.last_error == "database unavailable: could not connect to server"
    assert len(dovecot.folder(mailbox.username, "INBOX")) == 2

    monkeypatch.setattr(imap, "receive_email", real_receive)
    poll(mailbox.name)
    assert Case.objects.filter(customer__email__in=senders).count() == 3
    mailbox.refresh_from_db()
    assert (mailbox.last_uid, mailbox.last_error) == (3, "")


def test_a_message_the_database_refuses_is_not_retried_forever(dovecot, desk, monkeypatch):
    from django.db import DataError

    from postdesk.intake import services as intake_services

    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    refused, after = customer(1), customer(2)
    real_ingest = intake_services.ingest

    def ingest(inbound):
        # What PostgreSQL does with a value that fits no column: refuse this message for good.
        if inbound.sender_email == refused:
            raise DataError("value too long for type character varying(200)")
        return real_ingest(inbound)

    monkeypatch.setattr(intake_services, "ingest", ingest)
    dovecot.append(mailbox.username, email(refused), email(after))

    report = poll(mailbox.name)[mailbox.name]

    assert Case.objects.filter(customer__email=after).exists()
    assert dovecot.folder(mailbox.username, "INBOX") == {}
    assert report.summary() == f"{mailbox.name}: 2 fetched (1 ingested, 1 quarantined)"
    assert "value too long for type character varying(200)" in QuarantinedEmail.objects.get().error


def test_a_very_long_display_name_still_makes_a_case(dovecot, desk, monkeypatch):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    sender = customer(1)
    dovecot.append(mailbox.username, email(sender, name="A" * 250))
    poll(mailbox.name)
    assert Case.objects.get(customer__email=sender).customer.name == "A" * 200


def test_uidvalidity_change_rescans_the_folder_without_duplicates(dovecot, desk, monkeypatch):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"], folder="Support")
    old_raw, other_old = email(customer(1)), email(customer(2))
    client = dovecot.client(mailbox.username)
    client.create_folder("Support")
    client.append("Support", old_raw)
    client.append("Support", other_old)
    poll(mailbox.name)
    mailbox.refresh_from_db()
    old_validity = mailbox.uidvalidity
    assert mailbox.last_uid == 2

    # The server rebuilt the folder: a copy of a message already taken in comes back, and new
    # mail gets UIDs (1, 2) that are not above the old last_uid.
    client.delete_folder("Support")
    client.create_folder("Support")
    new_sender = customer(3)
    client.append("Support", old_raw)
    client.append("Support", email(new_sender))
    client.logout()
    report = poll(mailbox.name)[mailbox.name]

    assert report.summary() == f"{mailbox.name}: 2 fetched (1 duplicate, 1 ingested)"
    mailbox.refresh_from_db()
    assert mailbox.uidvalidity != old_validity and mailbox.last_uid == 2
    assert Case.objects.count() == 3 and Message.objects.count() == 3
    assert Case.objects.filter(customer__email=new_sender).exists()


def test_wrong_password_marks_that_mailbox_and_the_other_is_still_polled(dovecot, desk, monkeypatch):
    broken = make_mailbox(dovecot, monkeypatch, desk["tracking"], name="broken-box",
                          password_env="BROKEN_BOX_SECRET")
    monkeypatch.setenv("BROKEN_BOX_SECRET", "not the password")
    unset = make_mailbox(dovecot, monkeypatch, desk["tracking"], name="unset-box")
    monkeypatch.delenv("POSTDESK_IMAP_PASSWORD_UNSET_BOX")
    working = make_mailbox(dovecot, monkeypatch, desk["claims"])
    dovecot.append(working.username, email(customer(1)))

    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("poll_imap", "--once", stdout=out)

    assert str(failure.value) == "2 mailbox(es) failed: broken-box, unset-box"
    broken.refresh_from_db()
    assert broken.last_error == "LoginError: b'[AUTHENTICATIONFAILED] Authentication failed.'"
    assert broken.last_polled_at is None
    unset.refresh_from_db()
    assert unset.last_error == ("MailboxConfigError: the password variable "
                                "POSTDESK_IMAP_PASSWORD_UNSET_BOX is not set")
    assert f"{working.name}: 1 fetched (1 ingested)" in out.getvalue().splitlines()
    assert Case.objects.filter(department__slug="claims").count() == 1


def test_server_without_move_gets_copy_delete_and_expunge_of_that_message_only(dovecot, desk, monkeypatch):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    dovecot.append(mailbox.username, email(customer(1)))
    # A message a person marked deleted but did not expunge stays: UID EXPUNGE touches only ours.
    client = dovecot.client(mailbox.username)
    client.append("INBOX", email(customer(2)), flags=[b"\\Deleted"])
    client.logout()
    real_has_capability = imap.IMAPClient.has_capability
    monkeypatch.setattr(imap.IMAPClient, "has_capability",
                        lambda self, name: name != "MOVE" and real_has_capability(self, name))

    assert poll(mailbox.name)[mailbox.name].summary() == f"{mailbox.name}: 1 fetched (1 ingested)"
    assert len(dovecot.folder(mailbox.username, PROCESSED)) == 1
    [(_raw, flags)] = dovecot.folder(mailbox.username, "INBOX").values()
    assert b"\\Deleted" in flags


def test_message_appended_while_idling_is_taken_in_within_seconds(dovecot, desk, monkeypatch, settings):
    # A poll interval far beyond the wait below: only IDLE can bring the message in time.
    settings.POSTDESK_IMAP_POLL_SECONDS = 60
    mailbox = make_mailbox(dovecot, monkeypatch, desk["tracking"])
    stop = threading.Event()
    poller = threading.Thread(target=poll_forever, kwargs={"stop": stop})
    poller.start()
    try:
        deadline = time.monotonic() + 5
        while _read(lambda: Mailbox.objects.get(pk=mailbox.pk).last_polled_at) is None:
            assert time.monotonic() < deadline, "first round did not finish"
            time.sleep(0.05)
        time.sleep(0.3)  # into IDLE
        sender = customer(1)
        appended_at = time.monotonic()
        dovecot.append(mailbox.username, email(sender))
        while not _read(Case.objects.filter(customer__email=sender).exists):
            assert time.monotonic() - appended_at < 5, "IDLE did not pick the message up"
            time.sleep(0.05)
    finally:
        stop.set()
        poller.join(timeout=10)
    assert not poller.is_alive()
    assert dovecot.folder(mailbox.username, "INBOX") == {}


def test_admin_reprocess_turns_a_quarantined_message_into_a_case_once_the_cause_is_fixed(
        dovecot, desk, monkeypatch, admin_client):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["claims"])
    block = BlockedSender.objects.create(pattern="@blocked.example")
    dovecot.append(mailbox.username, email("pat@blocked.example", "The vase arrived broken."))
    poll(mailbox.name)
    quarantined = QuarantinedEmail.objects.get()
    assert quarantined.reason == "blocked"
    url = "/admin/intake/quarantinedemail/"
    action = {"action": "reprocess_selected", "_selected_action": [quarantined.pk]}

    response = admin_client.post(url, action, follow=True)
    assert f"Still quarantined: #{quarantined.pk}: " in response.content.decode()
    assert QuarantinedEmail.objects.count() == 1 and not Case.objects.exists()

    block.delete()
    response = admin_client.post(url, action, follow=True)

    assert "1 email taken in." in response.content.decode()
    case = Case.objects.get(customer__email="pat@blocked.example")
    assert case.department.slug == "claims"  # the mailbox's department, as on first arrival
    quarantined.refresh_from_db()
    assert quarantined.resolved_at is not None
    assert QuarantinedEmail.objects.count() == 1


def test_mailbox_and_quarantine_pages_render_for_admins(desk, admin_client, monkeypatch, dovecot):
    mailbox = make_mailbox(dovecot, monkeypatch, desk["claims"], name="claims-box")
    page = admin_client.get(f"/admin/intake/mailbox/{mailbox.pk}/change/").content.decode()
    assert "the environment variable POSTDESK_IMAP_PASSWORD_CLAIMS_BOX of the poll-imap process" in page
    assert admin_client.get("/admin/intake/quarantinedemail/").status_code == 200
    assert admin_client.get("/admin/intake/blockedsender/").status_code == 200
