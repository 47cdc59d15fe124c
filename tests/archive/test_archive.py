"""Archiving moves old closed cases out of the hot tables without losing search, the console
view, the customer's status page or anything of the paper trail; restoring puts them back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from postdesk.archive.models import ArchivedCase
from postdesk.archive.services import archive_old_cases, archive_restore, case_archive
from postdesk.cases.models import Attachment, Case, CaseEvent, Message
from postdesk.cases.services import case_add_note, case_reply, case_set_status
from postdesk.search.selectors import search_cases
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _closed_long_ago(case, agent, days=400):
    case_set_status(case=case, agent=agent, status=Case.Status.CLOSED)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def old_case(agent_a):
    """A tracking case with a reply, an internal note and a customer attachment, closed 400 days ago."""
    from postdesk.intake.inbound import InboundAttachment, InboundMessage
    from postdesk.intake.services import ingest

    case = make_case(body="Mein Paket ist seit Wochen verschwunden.", language="de")
    ingest(InboundMessage(channel="web", external_id="photo-1", sender_email="casey.customer@example.com",
                          body="Here is the label photo.", language="en", case_number=case.number,
                          attachments=(InboundAttachment(filename="label.png", content_type="image/png",
                                                         content=PNG),)))
    case_reply(case=Case.objects.get(pk=case.pk), agent=agent_a, body="We are tracing the parcel.")
    case_add_note(case=Case.objects.get(pk=case.pk), agent=agent_a, body="Depot Springfield confirms a scan gap.")
    _closed_long_ago(Case.objects.get(pk=case.pk), agent_a)
    return Case.objects.get(pk=case.pk)


def _row_counts(case_id):
    return (Case.objects.filter(pk=case_id).count(), Message.objects.filter(case_id=case_id).count(),
            CaseEvent.objects.filter(case_id=case_id).count())


def test_archiving_moves_the_case_out_of_the_hot_tables(old_case):
    messages, events = _row_counts(old_case.pk)[1:]
    counts = archive_old_cases()
    assert counts == {"archived": 1, "skipped": 0, "protected": 0}
    assert _row_counts(old_case.pk) == (0, 0, 0)
    archived = ArchivedCase.objects.get(case_id=old_case.pk)
    assert archived.number == old_case.number and archived.status == "closed"
    labels = [record["model"] for record in archived.records]
    assert labels.count("cases.message") == messages
    # Every event, plus the "archived" event that records the move itself.
    assert labels.count("cases.caseevent") == events + 1
    assert "cases.attachment" in labels and "sla.caseclock" in labels


def test_only_cases_closed_longer_than_the_period_are_archived(agent_a, settings):
    settings.POSTDESK_ARCHIVE_AFTER_DAYS = 365
    recent = make_case(email="r@example.com")
    _closed_long_ago(recent, agent_a, days=100)
    still_open = make_case(email="o@example.com")
    Case.objects.filter(pk=still_open.pk).update(closed_at=timezone.now() - timedelta(days=900))
    assert archive_old_cases() == {"archived": 0, "skipped": 0, "protected": 0}
    assert Case.objects.filter(pk__in=[recent.pk, still_open.pk]).count() == 2


def test_a_case_archived_by_one_worker_is_skipped_by_the_other(old_case):
    assert case_archive(case_id=old_case.pk) is not None
    assert case_archive(case_id=old_case.pk) is None
    assert ArchivedCase.objects.filter(case_id=old_case.pk).count() == 1


def test_search_still_finds_the_archived_case(old_case, agent_a, agent_b, strategy):
    archive_old_cases()
    for query in ("Pakete", "9400 1118 9922 3818 2184 07", "casey.customer@example.com",
                  old_case.number.lower(), "scan gap"):
        hits = search_cases(agent_a, query).hits
        assert [(hit.number, hit.archived) for hit in hits] == [(old_case.number, True)], query
    assert search_cases(agent_b, "Pakete").hits == []


def test_search_filters_apply_to_archived_cases(old_case, agent_a, department_a, department_b, strategy):
    from postdesk.search.selectors import SearchFilters

    archive_old_cases()
    assert len(search_cases(agent_a, "Paket", SearchFilters(status="closed", department=department_a)).hits) == 1
    assert search_cases(agent_a, "Paket", SearchFilters(status="open")).hits == []
    assert search_cases(agent_a, "Paket", SearchFilters(created_to=timezone.localdate() - timedelta(days=1))).hits == []


def test_the_api_links_to_the_archived_view(old_case, client_a):
    archive_old_cases()
    item = client_a.get("/api/v1/cases/search", {"q": "Paket"}).json()["results"][0]
    assert item["archived"] is True and item["url"] == f"/console/archive/{old_case.number}/"


def test_console_shows_the_archived_case_read_only_with_its_whole_timeline(old_case, client_a):
    archive_old_cases()
    response = client_a.get(f"/console/cases/{old_case.number}/")
    assert response.status_code == 302 and response["Location"] == f"/console/archive/{old_case.number}/"
    page = client_a.get(response["Location"]).content.decode()
    assert "data-archived-notice" in page
    for text in ("Mein Paket ist seit Wochen verschwunden.", "We are tracing the parcel.",
                 "Depot Springfield confirms a scan gap.", "label.png", 'data-event="archived"'):
        assert text in page, text
    assert 'data-form="reply"' not in page
    link = re.search(r'href="(/console/archive/[^"]+/attachments/\d+/)"', page).group(1)
    download = client_a.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_an_agent_of_another_department_gets_404(old_case, client, agent_b):
    archive_old_cases()
    client.force_login(agent_b)
    assert client.get(f"/console/archive/{old_case.number}/").status_code == 404
    assert client.get(f"/console/cases/{old_case.number}/").status_code == 404
    assert client.post(f"/console/archive/{old_case.number}/restore/").status_code == 404


def test_the_customer_status_page_still_shows_the_history(old_case, client):
    from postdesk.cases.access import status_token

    old_link = f"/status/{status_token(old_case)}/"
    archive_old_cases()
    response = client.post("/status/", {"case_number": old_case.number, "email": "casey.customer@example.com"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Mein Paket ist seit Wochen verschwunden." in page and "We are tracing the parcel." in page
    assert "Depot Springfield" not in page  # the internal note stays internal
    assert "data-archived-notice" in page and 'name="body"' not in page
    # A status link from an old email leads there too.
    assert client.get(old_link).status_code == 302
    # A wrong email is the same generic 404 as for live cases.
    wrong = client.post("/status/", {"case_number": old_case.number, "email": "someone@example.com"})
    assert wrong.status_code == 404


def test_restore_puts_every_row_back_under_the_same_ids(old_case, client_a):
    message_ids = set(Message.objects.filter(case=old_case).values_list("id", flat=True))
    event_ids = set(CaseEvent.objects.filter(case=old_case).values_list("id", flat=True))
    attachment = Attachment.objects.get(message__case=old_case)
    linked = make_case(email="casey.customer@example.com", body="About my old case again.")
    Case.objects.filter(pk=linked.pk).update(linked_case=old_case)
    archive_old_cases()
    assert Case.objects.get(pk=linked.pk).linked_case_id is None

    response = client_a.post(f"/console/archive/{old_case.number}/restore/")
    assert response.status_code == 302 and response["Location"] == f"/console/cases/{old_case.number}/"
    case = Case.objects.get(pk=old_case.pk)
    assert case.number == old_case.number and case.status == "closed"
    assert set(Message.objects.filter(case=case).values_list("id", flat=True)) == message_ids
    restored_events = set(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert event_ids <= set(CaseEvent.objects.filter(case=case).values_list("id", flat=True))
    assert {"archived", "restored"} <= restored_events
    assert Attachment.objects.get(pk=attachment.pk).file.read() == PNG
    assert Case.objects.get(pk=linked.pk).linked_case_id == case.pk
    assert not ArchivedCase.objects.filter(case_id=case.pk).exists()
    assert client_a.get(f"/console/cases/{case.number}/").status_code == 200
    assert [(hit.number, hit.archived) for hit in search_cases(client_a_user(case), "scan gap").hits] == [
        (case.number, False)]


def client_a_user(case):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="agent_a")


def test_restore_with_a_deleted_agent_keeps_the_rest(old_case, agent_a):
    archive_old_cases()
    agent_a.agent_profile.delete()
    agent_a.delete()
    case = archive_restore(archived=ArchivedCase.objects.get(case_id=old_case.pk))
    reply = Message.objects.get(case=case, kind="reply")
    assert reply.author_id is None and reply.body == "We are tracing the parcel."


def test_archive_command_runs_in_batches_and_restores(agent_a):
    cases = [make_case(email=f"b{i}@example.com") for i in range(3)]
    for case in cases:
        _closed_long_ago(case, agent_a)
    out = open("/dev/null", "w")
    call_command("archive", "run", "--batch-size", "2", stdout=out)
    assert ArchivedCase.objects.count() == 3 and not Case.objects.filter(pk__in=[c.pk for c in cases]).exists()
    call_command("archive", "restore", cases[0].number.lower(), stdout=out)
    assert Case.objects.filter(pk=cases[0].pk).exists()


def test_erasure_scrubs_archived_cases(old_case):
    from postdesk.cases import erasure
    from postdesk.cases.models import Customer

    archive_old_cases()
    customer = Customer.objects.get(pk=old_case.customer_id)
    Customer.objects.filter(pk=customer.pk).update(name="", email=f"erased-{customer.pk}@invalid", phone="")
    erasure.run_erasers(customer.pk)
    archived = ArchivedCase.objects.get(case_id=old_case.pk)
    dump = str(archived.records) + archived.subject
    for secret in ("verschwunden", "label photo", "label.png", "casey.customer", "9400111899223818218407"):
        assert secret not in dump, secret
    assert search_cases(client_a_user(old_case), "verschwunden").hits == []
    leftovers = []
    with connection.cursor() as cursor:
        for table in [name for name in connection.introspection.table_names(cursor) if name.startswith("search_")]:
            cursor.execute(f"SELECT * FROM {table}")
            text = " ".join(bytes(value).decode("latin-1") if isinstance(value, (bytes, memoryview)) else str(value)
                            for row in cursor.fetchall() for value in row).lower()
            leftovers += [(table, secret) for secret in ("verschwund", "casey") if secret in text]
    assert leftovers == []
