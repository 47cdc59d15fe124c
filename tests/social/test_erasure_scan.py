"""Erasing a customer who wrote on X, gave an email, got replies and phone calls leaves none of
their data in any table (the customers app's whole-database scan)."""

from __future__ import annotations

import pytest

from postdesk.calls import services as calls
from postdesk.cases.models import Case
from postdesk.customers.erasure import customer_erase
from postdesk.social.models import SocialConversation
from tests.customers import dbscan
from tests.social.helpers import post_x, x_dm

HANDLE = "zebulon_q"
NAME = "Zebulon Quackenbush"
FOLLOW_UP = "zeb.quack@example.org"
# Long, as X user ids are: a short one ("4777") turned up by chance in a timestamp's
# microseconds, and the scan took the timestamp for left-over personal data.
X_USER = "4777190355123"
NEEDLES = [HANDLE, "zebulon", "quackenbush", FOLLOW_UP, "2024561414", "marmalade", X_USER]


@pytest.mark.django_db(transaction=True)
def test_erasure_reaches_social_conversations_replies_and_calls(client, social_settings, standin,
                                                                 supervisor):
    from postdesk.cases import defaults

    defaults.install()
    standin.script([500] * 10)  # the reply stays in the outbox with its text and error
    post_x(client, x_dm("1", "marmalade: my parcel is lost", sender=X_USER, screen_name=HANDLE, name=NAME))
    post_x(client, x_dm("2", f"write to {FOLLOW_UP} or call (202) 456-1414", sender=X_USER,
                        screen_name=HANDLE, name=NAME))
    case = Case.objects.get()
    SocialConversation.objects.update(follow_up_email="")  # so the next reply goes to the platform
    client.force_login(supervisor)
    client.post(f"/console/cases/{case.number}/reply/", {"body": "Dear Zebulon, marmalade noted."})
    calls.call_log(case=case, agent=supervisor, direction="outbound", duration_seconds=60,
                   notes="Zebulon says the marmalade jar broke.", phone="+12024561414")
    callback = calls.callback_request(case=case, phone="(202) 456-1414", window="any")
    assert callback.phone == "+12024561414"
    before = {t.replace('"', "").rpartition(".")[2] for t, _c, _n in dbscan.find(NEEDLES)}
    assert {"social_socialconversation", "social_socialoutbound", "calls_calllog",
            "calls_callbackrequest"} <= before, sorted(before)

    customer_erase(customer=case.customer, actor=supervisor)

    leftovers = dbscan.find(NEEDLES)
    assert leftovers == [], "personal data left after erasure:\n" + "\n".join(map(str, leftovers))
