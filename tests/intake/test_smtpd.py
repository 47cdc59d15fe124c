"""The SMTP intake server over real TCP on 127.0.0.1: what it accepts, what it refuses with which
reply, and that an accepted message is on disk before the 250 and becomes exactly one case."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
from email import policy
from email.message import EmailMessage

import pytest

from postdesk.cases.access import reply_token
from postdesk.cases.models import Case, Message
from postdesk.intake import spool
from postdesk.intake.channels.email import TemporaryFailure
from postdesk.intake.channels.smtp import build_controller, is_support_address
from postdesk.intake.models import RawEmail
from tests.conftest import make_case

SUPPORT = "support@postdesk.test"
REQUIRE_SERVICES = bool(os.environ.get("POSTDESK_REQUIRE_SERVICES") or os.environ.get("CI"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def email(*, sender="casey.customer@example.com", to=SUPPORT, subject="Parcel missing",
          body="My parcel 9400111899223818218407 has not arrived.",
          message_id="<parcel-1@example.com>") -> bytes:
    message = EmailMessage()
    message["From"] = f"Casey Customer <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Fri, 27 Nov 2026 09:00:00 -0500"
    message.set_content(body)
    return message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as on the wire


@pytest.fixture
def spool_dir(settings, tmp_path):
    settings.POSTDESK_SPOOL_DIR = str(tmp_path / "spool")
    settings.POSTDESK_SUPPORT_ADDRESSES = [SUPPORT, "claims@postdesk.test"]
    return tmp_path / "spool" / "incoming"


@pytest.fixture
def smtpd(transactional_db, spool_dir):
    """Start the intake server in a thread (its jobs run inline: HUEY immediate in tests), so
    the test's database must be committed and visible to it: transactional_db.
    The flush after a transactional test empties every table, the departments and topics the
    migrations install included: put them back (idempotent) before each test."""
    from postdesk.cases import defaults

    defaults.install()
    started = []

    def start(**overrides):
        controller = build_controller(host="127.0.0.1", port=free_port(), **overrides)
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()


def connect(controller) -> smtplib.SMTP:
    client = smtplib.SMTP("127.0.0.1", controller.port, timeout=10)
    client.ehlo("client.example.com")
    return client


def deliver(controller, raw: bytes, *, sender="casey.customer@example.com", to=(SUPPORT,)):
    """One SMTP transaction without a SIZE declaration; the DATA reply."""
    with connect(controller) as client:
        assert client.mail(sender)[0] == 250
        for address in to:
            assert client.rcpt(address)[0] == 250
        return client.data(raw)


def spooled(spool_dir) -> list[str]:
    return sorted(p.name for p in spool_dir.iterdir()) if spool_dir.exists() else []


def test_accepted_message_becomes_a_case_of_the_sender_and_leaves_the_spool_empty(smtpd, spool_dir):
    server = smtpd()
    code, reply = deliver(server, email())
    assert code == 250
    assert reply.startswith(b"2.0.0 Message accepted for delivery as ")
    queue_id = reply.rsplit(b" ", 1)[1].decode()
    case = Case.objects.get()
    assert case.customer.email == "casey.customer@example.com"
    assert case.subject == "Parcel missing"
    assert case.channel == "email"
    raw = RawEmail.objects.get()
    assert raw.source == "smtp"
    stored = raw.file.read()
    # Our trace line on top, then exactly the bytes the client sent.
    assert stored.startswith(b"Received: from client.example.com ([127.0.0.1])\r\n\tby ")
    assert f"(Postdesk) with ESMTP id {queue_id};".encode() in stored
    assert stored.endswith(email())
    assert spooled(spool_dir) == []


def test_foreign_recipient_is_refused_with_550_naming_the_accepted_addresses(smtpd):
    server = smtpd()
    with connect(server) as client:
        client.mail("casey.customer@example.com")
        assert client.rcpt("someone@example.com") == (
            550, b"5.1.1 <someone@example.com>: no such mailbox here; this server takes mail "
                 b"only for claims@postdesk.test, support@postdesk.test")
        assert client.rcpt("support@other.test")[0] == 550
        assert client.rcpt("supportx@postdesk.test")[0] == 550
        assert client.rcpt("Support@Postdesk.TEST") == (250, b"2.1.5 Recipient OK")
        assert client.rcpt("claims@postdesk.test")[0] == 250
        assert client.rcpt("support+abc123.0f0f0f0f0f@postdesk.test")[0] == 250


def test_support_address_check_accepts_plus_forms_only_of_configured_addresses():
    addresses = {"support@postdesk.test"}
    assert is_support_address("support+anything@postdesk.test", addresses)
    assert is_support_address("SUPPORT@POSTDESK.TEST", addresses)
    assert not is_support_address("support@postdesk.test.evil.example", addresses)
    assert not is_support_address("other+support@postdesk.test", addresses)
    assert not is_support_address("support", addresses)


def test_envelope_reply_address_threads_the_message_to_its_case(smtpd):
    case = make_case()
    server = smtpd()
    # Nothing in the headers names the case: only the envelope recipient does.
    raw = email(subject="One more thing", body="The parcel was blue.", message_id="<more@example.com>")
    code, _reply = deliver(server, raw, to=(f"support+{reply_token(case)}@postdesk.test",))
    assert code == 250
    assert Case.objects.count() == 1
    assert case.messages.count() == 2
    assert case.events.filter(type="message_received",
                              data__reason="joined by the case's reply address").exists()


def test_oversized_message_is_refused_with_552_and_nothing_is_kept(smtpd, spool_dir):
    server = smtpd(max_bytes=2000)
    big = email(body="x" * 70 + ("\n" + "y" * 70) * 40)
    too_big = (552, b"5.3.4 Message too big: this server accepts at most 2000 bytes")
    # A client that does not declare the size is stopped after DATA...
    assert deliver(server, big) == too_big
    # ...one that declares it (smtplib sends SIZE=) already at MAIL FROM.
    with connect(server) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("casey.customer@example.com", [SUPPORT], big)
    assert (refused.value.smtp_code, refused.value.smtp_error) == too_big
    assert Case.objects.count() == 0 and spooled(spool_dir) == []
    # The same connection limit lets a normal message through.
    assert deliver(server, email())[0] == 250


def test_client_retrying_after_a_lost_250_gets_one_case_and_one_message(smtpd):
    server = smtpd()
    raw = email()
    first = deliver(server, raw)
    second = deliver(server, raw)  # the client never saw the first 250 and sends again
    assert first[0] == second[0] == 250
    assert first != second  # two spool entries, two Received lines...
    assert Case.objects.count() == 1  # ...one case
    assert Message.objects.count() == 1
    case = Case.objects.get()
    assert case.events.filter(type="message_received").count() == 1


def test_message_that_cannot_be_spooled_gets_451_and_goes_through_when_resent(smtpd, settings, tmp_path):
    server = smtpd()
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("the spool cannot be created under a file")
    settings.POSTDESK_SPOOL_DIR = str(blocker)
    assert deliver(server, email()) == (
        451, b"4.3.0 Could not store the message right now; please try again later")
    assert Case.objects.count() == 0
    settings.POSTDESK_SPOOL_DIR = str(tmp_path / "spool")
    assert deliver(server, email())[0] == 250
    assert Case.objects.count() == 1


def test_message_is_on_disk_before_the_250_and_the_sweep_takes_it_in_when_its_job_was_lost(
        smtpd, spool_dir, monkeypatch):
    from postdesk.intake import tasks

    monkeypatch.setattr(tasks, "process_spooled_email", lambda name: None)  # the job is lost
    server = smtpd()
    code, reply = deliver(server, email(), to=(SUPPORT, "claims@postdesk.test"))
    assert code == 250
    queue_id = reply.rsplit(b" ", 1)[1].decode()
    assert spooled(spool_dir) == [f"{queue_id}.eml", f"{queue_id}.json"]
    assert (spool_dir / f"{queue_id}.eml").read_bytes().endswith(email())
    envelope = json.loads((spool_dir / f"{queue_id}.json").read_text())
    assert envelope["recipients"] == [SUPPORT, "claims@postdesk.test"]
    assert envelope["mail_from"] == "casey.customer@example.com"
    assert Case.objects.count() == 0

    assert spool.spool_sweep() == {}  # a fresh file still has its job coming
    assert spool.spool_sweep(min_age_seconds=0) == {"ingested": 1}
    assert Case.objects.get().customer.email == "casey.customer@example.com"
    assert spooled(spool_dir) == []


@pytest.mark.django_db
def test_temporary_failure_keeps_the_spooled_message_for_the_next_sweep(spool_dir, monkeypatch):
    name = spool.spool_write(email(), spool.Envelope(recipients=(SUPPORT,)))

    def database_down(raw, **kwargs):
        raise TemporaryFailure("connection refused")

    monkeypatch.setattr(spool, "receive_email", database_down)
    assert spool.spool_process(name) == "deferred"
    assert spooled(spool_dir) == [name, name.replace(".eml", ".json")]
    monkeypatch.undo()
    assert spool.spool_sweep(min_age_seconds=0) == {"ingested": 1}
    assert spooled(spool_dir) == [] and Case.objects.count() == 1


@pytest.mark.django_db
def test_a_message_being_processed_elsewhere_is_left_alone(spool_dir):
    name = spool.spool_write(email(), spool.Envelope(recipients=(SUPPORT,)))
    with open(spool_dir / name, "rb") as other_worker:
        fcntl.flock(other_worker.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert spool.spool_process(name) == "busy"
        assert spool.spool_sweep(min_age_seconds=0) == {"busy": 1}
    assert Case.objects.count() == 0 and name in spooled(spool_dir)
    assert spool.spool_process(name) == "ingested"


@pytest.mark.django_db
def test_spool_job_refuses_names_outside_the_spool(spool_dir):
    with pytest.raises(ValueError, match="not a spool file name"):
        spool.spool_process("../../secret_key")
    assert spool.spool_process("0" * 32 + ".eml") == "gone"


def test_lines_longer_than_rfc_5321_allows_are_accepted_not_lost(smtpd):
    server = smtpd()
    long_line = b"tracking" + b" 9400111899223818218407" * 200
    raw = (b"From: casey.customer@example.com\r\nTo: support@postdesk.test\r\n"
           b"Subject: Long line\r\nMessage-ID: <long@example.com>\r\n\r\n" + long_line + b"\r\n")
    assert deliver(server, raw)[0] == 250
    assert RawEmail.objects.get().file.read().endswith(raw)
    assert Case.objects.get().subject == "Long line"


def test_swaks_as_an_independent_client_delivers_a_case(smtpd):
    if shutil.which("swaks") is None:
        if REQUIRE_SERVICES:
            pytest.fail("swaks is not installed (apt-get install swaks); .ci/run installs it")
        pytest.skip("swaks is not installed")
    server = smtpd()
    result = subprocess.run(
        ["swaks", "--server", f"127.0.0.1:{server.port}", "--to", SUPPORT,
         "--from", "a@example.com", "--header", "Subject: Swaks says hello",
         "--body", "Where is parcel 9400111899223818218407?"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<-  250 2.0.0 Message accepted for delivery as " in result.stdout
    case = Case.objects.get()
    assert (case.customer.email, case.subject) == ("a@example.com", "Swaks says hello")


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return str(cert), str(key)


def test_starttls_is_offered_with_a_certificate_and_mail_goes_through_encrypted(smtpd, self_signed):
    cert, key = self_signed
    plain = smtpd()
    with connect(plain) as client:
        assert not client.has_extn("starttls")
        assert not client.has_extn("auth")
    server = smtpd(tls_cert=cert, tls_key=key)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with connect(server) as client:
        assert client.has_extn("starttls")
        assert client.starttls(context=context)[0] == 220
        client.ehlo("client.example.com")
        assert client.sock.version() in ("TLSv1.2", "TLSv1.3")
        assert not client.has_extn("auth")
        client.sendmail("casey.customer@example.com", [SUPPORT], email())
    assert Case.objects.count() == 1
    assert b"(Postdesk) with ESMTPS id " in RawEmail.objects.get().file.read()
