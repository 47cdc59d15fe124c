"""The signed-in customer's data export: a ZIP with their cases, public messages, files, README."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from postdesk.cases.services import case_add_note, case_reply
from postdesk.intake.inbound import InboundAttachment, InboundMessage
from postdesk.intake.services import ingest
from tests.conftest import make_case
from tests.customers.helpers import archive, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"label-photo" * 10


@pytest.mark.django_db
def test_export_zip_holds_cases_public_messages_timeline_files_and_readme(client, agent_a):
    case = ingest(InboundMessage(
        channel="web", external_id="export-1", sender_email="casey.customer@example.com",
        sender_name="Casey Customer", body="The label is torn, photo attached.",
        topic_slug="track_package", tracking_numbers=("9400111899223818218407",),
        attachments=(InboundAttachment(filename="../../label.png", content=PNG,
                                       content_type="image/png"),),
    )).case
    second_case = make_case(body="A second parcel, asked about later.")
    case_reply(case=case, agent=agent_a, body="We have asked the depot to check.")
    case_add_note(case=case, agent=agent_a, body="INTERNAL: customer sounded upset.")
    make_case(email="olive.other@example.com", name="Olive Other", body="Olive's own matter.")

    sign_in(client, "casey.customer@example.com")
    assert client.get(reverse("customers:export")).status_code == 405
    response = client.post(reverse("customers:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "README.txt" in names and "data.json" in names
    assert "Internal notes of our staff are not personal data" in archive.read("README.txt").decode()
    data = json.loads(archive.read("data.json"))
    assert data["customer"]["email"] == "casey.customer@example.com"
    assert data["customer"]["name"] == "Casey Customer"
    assert {c["case_number"] for c in data["cases"]} == {case.number, second_case.number}
    exported = next(c for c in data["cases"] if c["case_number"] == case.number)
    assert exported["tracking_numbers"] == ["9400111899223818218407"]
    assert [m["from"] for m in exported["messages"]] == ["you", "support"]
    assert exported["messages"][0]["body"] == "The label is torn, photo attached."
    assert exported["messages"][1]["body"] == "We have asked the depot to check."
    everything = archive.read("data.json").decode()
    assert "INTERNAL" not in everything and "Olive" not in everything
    assert {"opened", "message_received", "reply_sent"} <= {e["type"] for e in exported["timeline"]}
    assert not {"note_added", "routed"} & {e["type"] for e in exported["timeline"]}
    files = exported["messages"][0]["attachments"]
    assert len(files) == 1 and files[0]["filename"] == "../../label.png"
    # The customer's file name never escapes its folder in the archive.
    assert files[0]["path"].startswith(f"attachments/{case.number}/") and ".." not in files[0]["path"]
    assert archive.read(files[0]["path"]) == PNG


@pytest.mark.django_db
def test_export_needs_a_signed_in_customer(client, case_a):
    response = client.post(reverse("customers:export"))
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:sign_in")


@pytest.mark.django_db
def test_export_includes_archived_cases_with_their_files(client, supervisor):
    case = ingest(InboundMessage(
        channel="web", external_id="export-archived", sender_email="casey.customer@example.com",
        sender_name="Casey Customer", body="An old matter, with a photo.", topic_slug="general",
        attachments=(InboundAttachment(filename="old.png", content=PNG, content_type="image/png"),),
    )).case
    case_reply(case=case, agent=supervisor, body="Solved long ago.")
    case_add_note(case=case, agent=supervisor, body="INTERNAL old note.")
    archive(case)
    sign_in(client, "casey.customer@example.com")
    response = client.post(reverse("customers:export"))
    archive_zip = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive_zip.read("data.json"))
    (exported,) = data["cases"]
    assert exported["case_number"] == case.number and exported["archived"] is True
    assert [m["body"] for m in exported["messages"]] == ["An old matter, with a photo.", "Solved long ago."]
    assert "INTERNAL" not in archive_zip.read("data.json").decode()
    (file_entry,) = exported["messages"][0]["attachments"]
    assert archive_zip.read(file_entry["path"]) == PNG


@pytest.mark.django_db
def test_an_attachment_missing_from_storage_is_listed_without_content_and_the_export_still_works(client):
    case = ingest(InboundMessage(
        channel="web", external_id="export-missing", sender_email="casey.customer@example.com",
        sender_name="Casey Customer", body="Photo attached.", topic_slug="track_package",
        attachments=(InboundAttachment(filename="label.png", content=PNG, content_type="image/png"),),
    )).case
    attachment = case.messages.get().attachments.get()
    attachment.file.storage.delete(attachment.file.name)

    sign_in(client, "casey.customer@example.com")
    response = client.post(reverse("customers:export"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    exported = json.loads(archive.read("data.json"))["cases"][0]
    assert exported["messages"][0]["attachments"] == [
        {"filename": "label.png", "content_type": "image/png", "size": attachment.size, "path": None}]
    assert not [name for name in archive.namelist() if name.startswith("attachments/")]

