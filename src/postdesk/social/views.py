"""Webhook endpoints of X and Facebook Messenger.

Views only check who is calling, parse, and hand each message to one service. Every answer is
JSON (the Messenger handshake excepted, which must echo the challenge as plain text): a bad or
missing signature is a 403 and stores nothing; malformed JSON is a 400; an endpoint whose
secrets are not configured is a 503 naming the missing settings.
"""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from postdesk.domain.social import PayloadError
from postdesk.social import services
from postdesk.social.platforms import FacebookPlatform, Platform, XPlatform, platform_for



def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _method_not_allowed() -> JsonResponse:
    response = _error(405, "Use GET (handshake) or POST (events).")
    response["Allow"] = "GET, POST"
    return response


def _not_configured(platform: Platform) -> JsonResponse | None:
    missing = platform.missing_settings()
    if missing:
        return _error(503, f"The {platform.label} webhook is not configured: set {', '.join(missing)}.")
    return None


def _receive_events(request, platform: Platform) -> JsonResponse:
    """A signed POST of events: verify on the raw bytes, then parse, then ingest each message."""
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, "The body is too large.")
    if not platform.signature_valid(body, request.headers):
        return _error(403, "Invalid or missing signature.")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return _error(400, "The body is not valid JSON.")
    try:
        messages = platform.parse(payload)
    except PayloadError as error:
        return _error(400, f"Unexpected payload: {error}.")
    cases = []
    for message in messages:
        result = services.social_message_receive(message=message)
        cases.append({"message_id": message.message_id, "case": result.case.number,
                      "duplicate": result.duplicate})
    return JsonResponse({"received": len(messages), "messages": cases})


@csrf_exempt
def x_webhook(request):
    if request.method not in ("GET", "POST"):
        return _method_not_allowed()
    platform = platform_for("x")
    assert isinstance(platform, XPlatform)
    problem = _not_configured(platform)
    if problem is not None:
        return problem
    if request.method == "GET":
        # The CRC challenge: prove we hold the consumer secret.
        token = request.GET.get("crc_token", "")
        if not token:
            return _error(400, "crc_token is missing.")
        return JsonResponse({"response_token": platform.crc_response(token)})
    return _receive_events(request, platform)


@csrf_exempt
def facebook_webhook(request):
    if request.method not in ("GET", "POST"):
        return _method_not_allowed()
    platform = platform_for("facebook")
    assert isinstance(platform, FacebookPlatform)
    problem = _not_configured(platform)
    if problem is not None:
        return problem
    if request.method == "GET":
        # The subscription handshake: echo the challenge if the verify token is ours.
        if request.GET.get("hub.mode") != "subscribe":
            return _error(400, 'hub.mode must be "subscribe".')
        if not platform.verify_token_valid(request.GET.get("hub.verify_token")):
            return _error(403, "The verify token does not match.")
        challenge = request.GET.get("hub.challenge", "")
        if not challenge:
            return _error(400, "hub.challenge is missing.")
        return HttpResponse(challenge, content_type="text/plain; charset=utf-8")
    return _receive_events(request, platform)
