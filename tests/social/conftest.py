"""Fixtures of the social tests: the platform stand-in (tests/social/standin.py) and settings
pointing the webhooks and API clients at it."""

from __future__ import annotations

import pytest

from tests.social.helpers import FB_SECRET, FB_VERIFY, X_SECRET
from tests.social.standin import PlatformStandIn


@pytest.fixture
def standin():
    server = PlatformStandIn()
    yield server
    server.close()


@pytest.fixture
def social_settings(settings, standin):
    settings.POSTDESK_X_CONSUMER_SECRET = X_SECRET
    settings.POSTDESK_X_ACCESS_TOKEN = "x-user-token"
    settings.POSTDESK_X_API_BASE_URL = standin.url
    settings.POSTDESK_FACEBOOK_APP_SECRET = FB_SECRET
    settings.POSTDESK_FACEBOOK_VERIFY_TOKEN = FB_VERIFY
    settings.POSTDESK_FACEBOOK_PAGE_ACCESS_TOKEN = "page-token"
    settings.POSTDESK_FACEBOOK_GRAPH_BASE_URL = standin.url
    settings.POSTDESK_FACEBOOK_GRAPH_VERSION = "v21.0"
    settings.POSTDESK_SOCIAL_MAX_ATTEMPTS = 3
    settings.POSTDESK_SOCIAL_TIMEOUT_SECONDS = 5
    return settings
