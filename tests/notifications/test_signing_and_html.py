"""Outgoing mail: a text and an HTML part with the same words, and a DKIM signature that verifies."""

from __future__ import annotations

import subprocess
from email import message_from_bytes, policy

import dkim
import pytest

from postdesk.notifications import delivery
from postdesk.notifications.models import OutboundEmail


@pytest.fixture
def dkim_key(tmp_path):
    private = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(private), "2048"], check=True, capture_output=True)
    public_der = subprocess.run(["openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
                                check=True, capture_output=True).stdout
    import base64

    return private, base64.b64encode(public_der)


def _sent_bytes(outbound: OutboundEmail) -> bytes:
    return delivery._build(outbound).message().as_bytes(linesep="\r\n")


@pytest.mark.django_db
def test_outgoing_mail_has_text_and_html_parts_with_the_same_words(case_a):
    outbound = OutboundEmail.objects.get(case=case_a, purpose="confirmation")
    message = message_from_bytes(_sent_bytes(outbound), policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert case_a.number in text and case_a.number in html
    assert '<a href="http://testserver/status/' in html
    assert "DKIM-Signature" not in message


@pytest.mark.django_db
def test_dkim_signature_verifies_when_a_key_is_configured(case_a, settings, dkim_key):
    private, public_b64 = dkim_key
    settings.POSTDESK_DKIM_SELECTOR = "pd2026"
    settings.POSTDESK_DKIM_KEY_FILE = str(private)
    outbound = OutboundEmail.objects.get(case=case_a, purpose="confirmation")
    raw = _sent_bytes(outbound)
    assert b"DKIM-Signature:" in raw and b"d=postdesk.test" in raw and b"s=pd2026" in raw

    def dns(name, timeout=5):
        assert name == b"pd2026._domainkey.postdesk.test."
        return b"v=DKIM1; k=rsa; p=" + public_b64

    assert dkim.verify(raw, dnsfunc=dns)
    tampered = raw.replace(case_a.number.encode(), b"XXX-XXX-XXX", 1)
    assert not dkim.verify(tampered, dnsfunc=dns)
