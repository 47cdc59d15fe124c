"""Personas shared by every test: two customers, an agent of department A, one of department B,
a supervisor, and an anonymous visitor (the plain ``client``)."""

from __future__ import annotations

import os

import pytest

# Placed before Django loads anything that opens a connection.
REQUIRE_SERVICES = bool(os.environ.get("POSTDESK_REQUIRE_SERVICES") or os.environ.get("CI"))


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def department_a(db):
    from postdesk.cases.models import Department

    return Department.objects.get(slug="tracking")


@pytest.fixture
def department_b(db):
    from postdesk.cases.models import Department

    return Department.objects.get(slug="claims")


def _agent(username, role, departments):
    from django.contrib.auth import get_user_model

    from postdesk.accounts.models import AgentProfile

    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery", first_name=username.title()
    )
    profile = AgentProfile.objects.create(user=user, role=role)
    profile.departments.set(departments)
    return user


@pytest.fixture
def agent_a(db, department_a):
    return _agent("agent_a", "agent", [department_a])


@pytest.fixture
def agent_b(db, department_b):
    return _agent("agent_b", "agent", [department_b])


@pytest.fixture
def supervisor(db):
    return _agent("supervisor", "supervisor", [])


@pytest.fixture
def customer_email():
    return "casey.customer@example.com"


@pytest.fixture
def other_customer_email():
    return "olive.other@example.com"


def make_case(*, email="casey.customer@example.com", name="Casey Customer", topic="track_package",
              body="My parcel has not moved for a week.", external_id=None, language="en",
              tracking_numbers=("9400111899223818218407",)):
    """Open a case through the real pipeline, as the web form does."""
    import uuid

    from postdesk.intake.inbound import InboundMessage
    from postdesk.intake.services import ingest

    return ingest(InboundMessage(
        channel="web", external_id=external_id or uuid.uuid4().hex, sender_email=email,
        sender_name=name, body=body, topic_slug=topic, language=language,
        tracking_numbers=tuple(tracking_numbers),
    )).case


@pytest.fixture
def case_a(db):
    """A case of the customer persona, in department A (tracking)."""
    return make_case()


@pytest.fixture
def case_b(db):
    """A case of the other customer, in department B (claims)."""
    return make_case(email="olive.other@example.com", name="Olive Other", topic="claim_refund",
                     body="The vase arrived broken.", tracking_numbers=("70131710000012912087",))


@pytest.fixture
def client_a(client, agent_a):
    client.force_login(agent_a)
    return client


@pytest.fixture
def client_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client
