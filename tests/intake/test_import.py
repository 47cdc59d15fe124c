"""``postdesk import-mail``: a Maildir or an mbox from another help desk becomes cases, replies
join the cases of the messages they answer, bad messages are quarantined, and a second run
imports nothing twice."""

from __future__ import annotations

import io
import mailbox

import pytest
from django.core.management import CommandError, call_command

from postdesk.cases.models import Case, Message
from postdesk.intake.channels.email import TemporaryFailure, receive_email
from postdesk.intake.management.commands import import_mail
from postdesk.intake.models import QuarantinedEmail, RawEmail


def message(*, sender: str | None, subject: str, message_id: str, date: str, body: str,
            in_reply_to: str = "") -> bytes:
    headers = [f"From: {sender}" if sender else "", "To: help@oldhelpdesk.example",
               f"Subject: {subject}", f"Message-ID: {message_id}", f"Date: {date}"]
    if in_reply_to:
        headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    return ("\n".join(h for h in headers if h) + "\n\n" + body + "\n").encode()


FIRST = message(sender="Alice Archer <alice@example.com>", subject="Parcel stuck in Memphis",
                message_id="<a1@example.com>", date="Mon, 01 Sep 2025 09:00:00 -0400",
                body="Tracking 9400111899223818218407 has not moved since Monday.")
REPLY = message(sender="Alice Archer <alice@example.com>", subject="Re: Parcel stuck in Memphis",
                message_id="<a2@example.com>", date="Tue, 02 Sep 2025 10:30:00 -0400",
                in_reply_to="<a1@example.com>", body="Still nothing. Any news?")
POISON = message(sender=None, subject="no sender", message_id="<poison@example.com>",
                 date="Tue, 02 Sep 2025 11:00:00 -0400", body="A message nobody sent.")
OTHER = message(sender="Bob Baker <bob@example.com>", subject="Broken vase",
                message_id="<b1@example.com>", date="Wed, 03 Sep 2025 08:00:00 -0400",
                body="The vase arrived in pieces.")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_mail", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.fixture
def maildir(tmp_path):
    path = tmp_path / "Maildir"
    box = mailbox.Maildir(path, create=True)
    # Stored reply first: a Maildir has no order, the import sorts by date.
    for raw in (REPLY, POISON, OTHER, FIRST):
        box.add(raw)
    return path


@pytest.fixture
def mbox(tmp_path):
    path = tmp_path / "support.mbox"
    box = mailbox.mbox(path, create=True)
    for raw in (FIRST, POISON, REPLY, OTHER):  # the poison message in the middle
        box.add(raw)
    box.flush()
    box.close()
    return path


def assert_imported_as_two_cases():
    alice = Case.objects.get(customer__email="alice@example.com")
    assert list(alice.messages.order_by("created_at").values_list("message_id", flat=True)) == [
        "<a1@example.com>", "<a2@example.com>"]
    assert alice.events.filter(type="message_received",
                               data__reason="joined by In-Reply-To/References <a1@example.com>").exists()
    assert Case.objects.get(customer__email="bob@example.com").subject == "Broken vase"
    assert Case.objects.count() == 2 and Message.objects.count() == 3
    assert set(RawEmail.objects.values_list("source", flat=True)) == {"import"}
    quarantined = QuarantinedEmail.objects.get()
    assert (quarantined.reason, quarantined.error) == ("error", "no usable sender address")


@pytest.mark.django_db
def test_maildir_import_threads_replies_quarantines_the_poison_and_reports_counts(maildir):
    assert run(str(maildir)) == (
        f"{maildir} (maildir): 4 messages: 3 ingested, 0 duplicates, 1 quarantined, 0 bounces")
    assert_imported_as_two_cases()


def test_maildir_messages_are_taken_oldest_first_by_their_date_header(maildir):
    box = mailbox.Maildir(maildir, create=False)
    order = [box.get_message(key)["Message-ID"] for key in import_mail.maildir_keys(box)]
    assert order == ["<a1@example.com>", "<a2@example.com>", "<poison@example.com>", "<b1@example.com>"]


@pytest.mark.django_db
def test_running_the_import_again_imports_nothing_twice(maildir):
    run(str(maildir))
    assert run(str(maildir)) == (
        f"{maildir} (maildir): 4 messages: 0 ingested, 3 duplicates, 1 quarantined, 0 bounces")
    assert_imported_as_two_cases()


@pytest.mark.django_db
def test_mbox_import_continues_after_a_poison_message_in_the_middle(mbox):
    assert run(str(mbox), "--department", "claims") == (
        f"{mbox} (mbox): 4 messages: 3 ingested, 0 duplicates, 1 quarantined, 0 bounces")
    assert_imported_as_two_cases()
    assert set(Case.objects.values_list("department__slug", flat=True)) == {"claims"}
    assert QuarantinedEmail.objects.get().mailbox == f"import:{mbox}"


@pytest.mark.django_db
def test_verbose_import_prints_one_line_per_message(mbox):
    lines = run(str(mbox), "--format", "mbox", "-v", "2").splitlines()
    alice = Case.objects.get(customer__email="alice@example.com")
    assert lines[:4] == [
        f"0: ingested: case {alice.number} (new case)",
        "1: quarantined: error",
        f"2: ingested: case {alice.number} (joined by In-Reply-To/References <a1@example.com>)",
        f"3: ingested: case {Case.objects.get(customer__email='bob@example.com').number} (new case)",
    ]


@pytest.mark.django_db
def test_database_outage_stops_the_import_with_75_and_a_rerun_finishes_it(mbox, monkeypatch):
    real = import_mail.receive_email
    calls = []

    def down_at_the_third(raw, **kwargs):
        calls.append(raw)
        if len(calls) == 3:
            raise TemporaryFailure("connection refused")
        return real(raw, **kwargs)

    monkeypatch.setattr(import_mail, "receive_email", down_at_the_third)
    out = io.StringIO()
    with pytest.raises(CommandError) as stopped:
        call_command("import_mail", str(mbox), stdout=out)
    assert stopped.value.returncode == 75
    assert str(stopped.value) == ("the database is unavailable (connection refused); run the same "
                                  "command again to continue, nothing is imported twice")
    assert out.getvalue().strip() == (
        f"{mbox} (mbox): 2 messages: 1 ingested, 0 duplicates, 1 quarantined, 0 bounces")
    monkeypatch.undo()
    assert run(str(mbox)) == (
        f"{mbox} (mbox): 4 messages: 2 ingested, 1 duplicates, 1 quarantined, 0 bounces")
    assert_imported_as_two_cases()


@pytest.mark.django_db
def test_bad_paths_and_options_get_specific_errors(tmp_path, mbox):
    (tmp_path / "plain-dir").mkdir()
    (tmp_path / "empty.mbox").write_text("")
    cases = [
        ((str(tmp_path / "missing"),), f"{tmp_path / 'missing'} does not exist"),
        ((str(tmp_path / "plain-dir"),),
         f"{tmp_path / 'plain-dir'} is a directory but not a Maildir (it has no cur/ and new/)"),
        ((str(mbox), "--format", "maildir"),
         f"{mbox} is a file; a Maildir is a directory with cur/ and new/"),
        ((str(tmp_path / "empty.mbox"),), f"no messages found in {tmp_path / 'empty.mbox'} (read as mbox)"),
        ((str(mbox), "--department", "nope"), "no department with slug 'nope'; known: "),
    ]
    for args, error in cases:
        with pytest.raises(CommandError) as refused:
            call_command("import_mail", *args, stdout=io.StringIO())
        assert str(refused.value).startswith(error), args
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_message_already_taken_in_over_smtp_is_a_duplicate_in_the_mbox_import(mbox):
    # The SMTP copy has CRLF line ends and a relay's Received: line; the mbox copy LF and none.
    smtp_copy = b"Received: from mx.example.com by postdesk\r\n" + FIRST.replace(b"\n", b"\r\n")
    assert receive_email(smtp_copy, source="smtp").status == "ingested"
    assert run(str(mbox)) == (
        f"{mbox} (mbox): 4 messages: 2 ingested, 1 duplicates, 1 quarantined, 0 bounces")
    assert Case.objects.count() == 2 and Message.objects.count() == 3
    assert Case.objects.get(customer__email="alice@example.com").messages.count() == 2
