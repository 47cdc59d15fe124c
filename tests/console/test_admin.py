"""The Django admin for configuration: every changelist and add form loads for a superuser."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postdesk.cases.models import FIELD_HIDDEN, FIELD_REQUIRED, Topic
from postdesk.notifications.models import EmailTemplate


@pytest.fixture
def admin_client_supervisor(client, supervisor):
    supervisor.is_staff = supervisor.is_superuser = True
    supervisor.save()
    client.force_login(supervisor)
    return client


@pytest.mark.parametrize("model", [
    "cases_topic", "cases_department", "cases_contactchannel",
    "notifications_emailtemplate", "notifications_outboundemail", "auth_user",
])
def test_admin_changelist_loads_for_superuser(admin_client_supervisor, case_a, model):
    assert admin_client_supervisor.get(reverse(f"admin:{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", [
    "cases_topic", "cases_department", "cases_contactchannel", "notifications_emailtemplate",
    "auth_user",
])
def test_admin_add_form_loads_for_superuser(admin_client_supervisor, model):
    assert admin_client_supervisor.get(reverse(f"admin:{model}_add")).status_code == 200


def test_outbox_is_read_only(admin_client_supervisor, case_a):
    from postdesk.notifications.models import OutboundEmail

    outbound = OutboundEmail.objects.get(case=case_a)
    assert admin_client_supervisor.get(reverse("admin:notifications_outboundemail_add")).status_code == 403
    detail = admin_client_supervisor.get(
        reverse("admin:notifications_outboundemail_change", args=[outbound.pk]))
    assert detail.status_code == 200
    assert 'name="status"' not in detail.content.decode()


def test_user_change_page_has_agent_profile_inline(admin_client_supervisor, agent_a):
    html = admin_client_supervisor.get(reverse("admin:auth_user_change", args=[agent_a.pk])).content.decode()
    assert "agent_profile-0-role" in html
    assert "agent_profile-0-departments" in html


def test_topic_form_fields_are_edited_with_one_select_each(admin_client_supervisor):
    topic = Topic.objects.get(slug="track_package")
    data = {
        "name": topic.name, "slug": topic.slug, "department": topic.department_id,
        "description": topic.description, "position": topic.position, "active": "on",
        "name_de": topic.name_de, "name_es": topic.name_es,
        "description_de": topic.description_de, "description_es": topic.description_es,
        "field_phone": FIELD_REQUIRED, "field_tracking_numbers": FIELD_REQUIRED,
        "field_address": FIELD_HIDDEN, "field_date_mailed": "optional",
        "field_attachments": FIELD_HIDDEN,
    }
    response = admin_client_supervisor.post(reverse("admin:cases_topic_change", args=[topic.pk]), data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.fields == {"phone": "required", "tracking_numbers": "required", "address": "hidden",
                            "date_mailed": "optional", "attachments": "hidden"}


def test_email_template_with_broken_syntax_is_refused(admin_client_supervisor):
    response = admin_client_supervisor.post(reverse("admin:notifications_emailtemplate_add"), {
        "key": "reply", "language": "de", "subject": "Ihr Fall {{ case_number }}",
        "body": "{% if %}",
    })
    assert response.status_code == 200
    assert "Template error:" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_email_template_is_saved(admin_client_supervisor):
    response = admin_client_supervisor.post(reverse("admin:notifications_emailtemplate_add"), {
        "key": "reply", "language": "de", "subject": "Ihr Fall {{ case_number }}",
        "body": "{{ body }}",
    })
    assert response.status_code == 302
    assert EmailTemplate.objects.get().key == "reply"


def test_department_sender_address_is_editable(admin_client_supervisor, department_a):
    response = admin_client_supervisor.post(
        reverse("admin:cases_department_change", args=[department_a.pk]),
        {"name": department_a.name, "slug": department_a.slug, "reply_from": "tracking@postdesk.test",
         "name_de": "", "name_es": "",
         "topics-TOTAL_FORMS": "0", "topics-INITIAL_FORMS": "0",
         "topics-MIN_NUM_FORMS": "0", "topics-MAX_NUM_FORMS": "1000"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    department_a.refresh_from_db()
    assert department_a.reply_from == "tracking@postdesk.test"


def test_plain_agent_cannot_open_the_admin(client_a):
    response = client_a.get(reverse("admin:cases_topic_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
