"""parse(): charsets, headers, addresses, ids, dates, HTML, attachments (hand-made bytes)."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

from postdesk.domain.mail import parse
from postdesk.domain.mail.charsets import decode, decode_header
from postdesk.domain.mail.html import html_to_text, sanitise


def message(headers: str, body: bytes = b"Hello", extra: bytes = b"") -> bytes:
    return headers.replace("\n", "\r\n").encode("utf-8") + extra + b"\r\n\r\n" + body


@pytest.mark.parametrize(("data", "label", "text"), [
    ("转发：整体".encode("gbk"), "gb2312", "转发：整体"),              # GBK data labelled GB2312
    ("转发".encode("gbk"), "iso-gb2312", "转发"),                       # a label Python lacks
    (b"+ANw-bermittlung", "unicode-1-1-utf-7", "Übermittlung"),
    ("ツール".encode("cp932"), "iso-2022-jp", "ツール"),                  # Shift_JIS labelled JIS
    (b"\x1b$B-!\x1b(B", "iso-2022-jp", "①"),                            # CP50220 NEC row 13
    ("Grüße".encode("utf-8"), "x-unknown-charset", "Grüße"),
    ("Grüße".encode("cp1252"), "x-unknown-charset", "Grüße"),
    ("“quoted”".encode("cp1252"), "iso-8859-1", "“quoted”"),            # CP1252 labelled Latin-1
    ("Grüße ".encode("utf-8") + "Müller".encode("latin-1"), "utf-8", "Grüße Müller"),
])
def test_charsets_decode_what_the_sender_meant(data, label, text):
    assert decode(data, label) == text


@pytest.mark.parametrize(("raw", "text"), [
    ("=?utf-8?Q?Gr=C3=BC=C3=9Fe?=", "Grüße"),
    ("=?utf-8?B?5Lit5paH?= =?utf-8?B?5pel5pys?=", "中文日本"),
    ("Re:=?iso-8859-1?Q?_Stra=DFe?=", "Re: Straße"),                     # no space before the word
    ("=?ISO-8859-1?Q?Mu=F1oz?= <x@example.org>", "Muñoz <x@example.org>"),
    ("=?utf-8*de?Q?Gr=C3=BC=C3=9Fe?=", "Grüße"),                          # RFC 2231 language
    ("=?x-nonsense?Q?caf=E9?=", "café"),
    ("=?utf-8?Q?broken", "=?utf-8?Q?broken"),
])
def test_encoded_words_including_malformed_ones(raw, text):
    assert decode_header(raw) == text


def test_a_multibyte_character_split_across_encoded_words_is_joined():
    word = "中".encode("utf-8")
    raw = (f"=?utf-8?B?{base64.b64encode(word[:1]).decode()}?= "
           f"=?utf-8?B?{base64.b64encode(word[1:]).decode()}?=")
    assert decode_header(raw) == "中"


def test_raw_8bit_headers_use_the_charset_the_message_declares():
    raw = (b"From: a@example.org\r\nSubject: " + "转发：整体".encode("gbk")
           + b"\r\nContent-Type: text/plain; charset=gb2312\r\n\r\nbody")
    assert parse(raw).subject == "转发：整体"
    assert parse(b"Subject: " + "Grüße".encode("utf-8") + b"\r\n\r\nx").subject == "Grüße"


def test_addresses_are_lower_case_and_deduplicated():
    result = parse(message("From: \"Doe, Jane\" <Jane.Doe@Example.COM>\n"
                           "To: A <A@Example.org>, b@example.org, a@example.org\n"
                           "Cc: =?utf-8?Q?J=C3=BCrgen?= <Juergen@Example.de>\n"
                           "Reply-To: <Reply@Example.org>"))
    assert (result.from_name, result.from_address) == ("Doe, Jane", "jane.doe@example.com")
    assert result.to == ("a@example.org", "b@example.org")
    assert result.cc == ("juergen@example.de",)
    assert result.reply_to == ("reply@example.org",)


@pytest.mark.parametrize(("headers", "address"), [
    ("From: \nReply-To: <rescue@example.org>", "rescue@example.org"),
    ("From: \"=?GB2312?B?ztI=?=\" <>\nReply-To: <vip@126.com>", "vip@126.com"),
    ("From: [??????]\nFrom: Real <real@example.org>", "real@example.org"),
    ("Sender: sender@example.org", "sender@example.org"),
    ("Return-Path: <bounce@example.org>", "bounce@example.org"),
    ("From: jane@example.org <jane@example.org>", "jane@example.org"),
    ("From: Jane (jane@example.org)", "jane@example.org"),
    ("From: MAILER-DAEMON (Mail Delivery System)", "mailer-daemon"),
    ("From: nobody", ""),
])
def test_broken_senders_are_recovered(headers, address):
    assert parse(message(headers + "\nSubject: x")).from_address == address


def test_message_ids_become_bracketed_tokens():
    result = parse(message("Message-ID: 1234.5678@mail.example.org\n"
                           "In-Reply-To: <a@x> (comment)\n"
                           "References: <a@x>\n <b@x>  <c@x>"))
    assert result.message_id == "<1234.5678@mail.example.org>"
    assert result.in_reply_to == ("<a@x>",)
    assert result.references == ("<a@x>", "<b@x>", "<c@x>")
    assert parse(message("Subject: none")).message_id == ""


@pytest.mark.parametrize(("value", "expected"), [
    ("Tue, 3 Mar 2026 10:00:00 +0100", datetime(2026, 3, 3, 10, tzinfo=timezone(timedelta(hours=1)))),
    ("Tue, 3 Mar 2026 10:00:00 -0000", datetime(2026, 3, 3, 10, tzinfo=timezone.utc)),
    ("3 Mar 2026 10:00 GMT", datetime(2026, 3, 3, 10, tzinfo=timezone.utc)),
    ("yesterday afternoon", None),
    ("", None),
])
def test_dates_are_aware_or_none(value, expected):
    assert parse(message(f"Date: {value}")).date == expected


def test_html_only_mail_becomes_readable_text_and_safe_html():
    html = (b"<html><head><title>T</title><style>p{color:red}</style>"
            b"<script>alert(1)</script></head><body onload='x()'>"
            b"<p>Hello <b>Jane</b>,</p><p>your parcel <a href='javascript:alert(1)'>is</a> "
            b"<a href='https://track.example/1'>here</a>.</p>"
            b"<img src='https://tracker.example/pixel.gif' width=1><img src='cid:logo@x'>"
            b"<table><tr><td>Tracking</td><td>9400111899223197428490</td></tr></table>"
            b"<form action='https://evil.example'><input name=p></form>"
            b"<iframe src='https://evil.example'></iframe></body></html>")
    result = parse(message("Subject: html\nContent-Type: text/html; charset=utf-8", html))
    assert result.text == "Hello Jane,\n\nyour parcel is here.\n\nTracking  9400111899223197428490"
    for banned in ("<script", "onload", "javascript:", "tracker.example", "<style", "<form",
                   "<iframe", "evil.example", "<title"):
        assert banned not in result.html
    assert 'src="cid:logo@x"' in result.html
    assert '<a href="https://track.example/1" rel="noopener noreferrer nofollow">' in result.html


def test_sanitise_keeps_formatting_and_drops_css_and_event_handlers():
    cleaned = sanitise('<p style="background:url(https://x.example/a)" onclick="x()">a<br><i>b</i></p>')
    assert cleaned == "<p>a<br><i>b</i></p>"


def test_blockquotes_become_quoted_text():
    text = html_to_text("<div>Yes</div><div>On Mon, Jane wrote:<blockquote>Is it <b>here</b>?"
                        "</blockquote></div>")
    assert text == "Yes\nOn Mon, Jane wrote:\n\n> Is it here?"


def _multipart(*parts: bytes, subtype: str = "mixed") -> bytes:
    body = b"".join(b"--XYZ\r\n" + part + b"\r\n" for part in parts) + b"--XYZ--\r\n"
    return (b"From: a@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/" + subtype.encode() + b"; boundary=XYZ\r\n\r\n" + body)


def test_rfc2231_and_rfc2047_filenames():
    result = parse(_multipart(
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nSee files.",
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n"
        b" filename*0*=utf-8''Empfangsbest%C3%A4tigung%20;\r\n filename*1*=Nr%201.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=",
        b"Content-Type: image/jpeg; name=\"=?utf-8?Q?Schaden_am_Paket_=C3=BC.jpg?=\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n/9j/4A==",
    ))
    assert [a.filename for a in result.attachments] == [
        "Empfangsbestätigung Nr 1.pdf", "Schaden am Paket ü.jpg"]
    assert result.attachments[0].content == b"%PDF-"
    assert result.text == "See files."


def test_alternative_picks_plain_text_and_keeps_the_html():
    result = parse(_multipart(
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nPlain version",
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>HTML <b>version</b></p>",
        subtype="alternative"))
    assert result.text == "Plain version"
    assert result.html == "<p>HTML <b>version</b></p>"


def test_related_html_with_inline_image():
    result = parse(_multipart(
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Photo: <img src=\"cid:img1@x\"></p>",
        b"Content-Type: image/png\r\nContent-ID: <img1@x>\r\nContent-Transfer-Encoding: base64\r\n"
        b"\r\niVBORw0KGgo=",
        subtype="related"))
    assert result.text == "Photo:"
    [image] = result.attachments
    assert (image.filename, image.content_id, image.inline) == ("image.png", "img1@x", True)
    assert image.content == b"\x89PNG\r\n\x1a\n"


def test_forwarded_message_is_an_eml_attachment_and_its_text_is_shown_folded():
    inner = (b"From: Carrier <noreply@carrier.example>\r\nSubject: Delivery attempt\r\n"
             b"Date: Mon, 2 Mar 2026 09:00:00 +0000\r\n\r\nWe could not deliver your parcel.")
    result = parse(_multipart(b"Content-Type: text/plain\r\n\r\nSee below, what now?",
                              b"Content-Type: message/rfc822\r\n\r\n" + inner))
    [attachment] = result.attachments
    assert (attachment.filename, attachment.content) == ("Delivery attempt.eml", inner)
    assert result.text.startswith("See below, what now?\n---------- Forwarded message ----------")
    assert "We could not deliver your parcel." in result.text
    from postdesk.domain.mail.reply import split_reply

    assert split_reply(result.text)[0] == "See below, what now?"


def test_multipart_with_a_wrong_boundary_keeps_its_parts():
    raw = (b"From: a@example.org\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=WRONG\r\n\r\n"
           b"--RIGHT\r\nContent-Type: text/plain\r\n\r\nThe text.\r\n"
           b"--RIGHT\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\n%PDF\r\n--RIGHT--\r\n")
    result = parse(raw)
    assert result.text == "The text."
    assert [a.filename for a in result.attachments] == ["a.pdf"]
    assert "StartBoundaryNotFoundDefect" in result.defects
    assert "RecoveredMultipartBoundary" in result.repairs


def test_unreadable_winmail_dat_is_kept_as_it_is():
    result = parse(_multipart(
        b"Content-Type: text/plain\r\n\r\nSee attachment",
        b"Content-Type: application/ms-tnef; name=winmail.dat\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"not tnef at all")))
    assert [(a.filename, a.content) for a in result.attachments] == [
        ("winmail.dat", b"not tnef at all")]
    assert "TnefNotDecoded" in result.repairs


def test_format_flowed_is_unwrapped_but_quotes_keep_their_depth():
    raw = message("Subject: f\nContent-Type: text/plain; charset=utf-8; format=flowed",
                  b"This line is \r\nflowed.\r\n> quoted \r\n> too\r\nOwn line\r\n-- \r\nSig")
    assert parse(raw).text == "This line is flowed.\n> quoted too\nOwn line\n-- \nSig"


def test_encrypted_smime_has_no_text():
    raw = (b"From: a@example.org\r\nSubject: secret\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx")
    result = parse(raw)
    assert result.encrypted and result.text == "" and result.attachments[0].filename == "smime.p7m"


def _tnef_with_one_file(name: bytes, data: bytes) -> bytes:
    """A minimal winmail.dat: TNEF version, then one attachment (rendering data, title, data)."""
    import struct

    def attribute(level: int, name_id: int, kind: int, value: bytes) -> bytes:
        return (struct.pack("<BHHI", level, name_id, kind, len(value)) + value
                + struct.pack("<H", sum(value) & 0xFFFF))

    return (struct.pack("<IH", 0x223E9F78, 1)
            + attribute(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))
            + attribute(2, 0x9002, 0x0006, b"\x01\x00" + b"\xff" * 4 + b"\x00" * 8)
            + attribute(2, 0x8010, 0x0001, name + b"\x00")
            + attribute(2, 0x800F, 0x0006, data))


def test_winmail_dat_is_unpacked_into_its_files():
    tnef = _tnef_with_one_file(b"damage.jpg", b"\xff\xd8\xff\xe0photo")
    result = parse(_multipart(
        b"Content-Type: text/plain\r\n\r\nPhoto of the damage attached",
        b"Content-Type: application/ms-tnef; name=winmail.dat\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(tnef)))
    assert [(a.filename, a.content_type, a.content) for a in result.attachments] == [
        ("damage.jpg", "image/jpeg", b"\xff\xd8\xff\xe0photo")]
    assert result.text == "Photo of the damage attached"
