"""Request and response shapes of the REST API (they are also its OpenAPI schema).

Input fields are loosely typed on purpose: whether a field is required, and what is wrong with
it, is decided by the portal's ``CaseForm``, so the API and the web form give the same message
for the same mistake. Pydantic only rejects what no form could read (a number where text
belongs, a list that is not a list).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import BaseModel, Field


# Inputs are plain pydantic models: ninja's Schema reads attributes off any object, so a JSON
# list or string would pass as an empty object instead of being refused.
class CaseIn(BaseModel):
    topic: str = Field("", description="Topic slug, e.g. track_package (see the contact page).")
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    tracking_numbers: list[str] | None = Field(None, description="One tracking number per item.")
    address: str | None = Field(None, description="Street, city, state and ZIP code.")
    date_mailed: str | None = Field(None, description="YYYY-MM-DD")
    description: str | None = None
    language: Literal["en", "de", "es"] | None = Field(
        None, description="Language of the case and of error messages; default: Accept-Language."
    )
    email_confirmed: bool = Field(
        False, description="true: keep the email address as given even if it looks like a typo."
    )


class CaseCreatedOut(Schema):
    case_number: str
    status_url: str
    expected_answer_by: datetime | None
    duplicate: bool


class ErrorsOut(Schema):
    errors: dict[str, list[str]]
    # Only when the email looks like a typo: resend with "email_confirmed": true to keep it.
    email_suggestion: str | None = None


class DetailOut(Schema):
    detail: str


class LookupIn(BaseModel):
    case_number: str
    email: str


class AttachmentOut(Schema):
    filename: str
    size: int
    content_type: str


class MessageOut(Schema):
    kind: str = Field(description='"customer" (you wrote) or "reply" (our answer).')
    body: str
    attachments: list[AttachmentOut]


class TimelineEventOut(Schema):
    type: str
    label: str
    at: datetime
    # Set for message events (the customer's messages and our answers), else null.
    message: MessageOut | None = None
    # Set for status changes: the new status.
    status: str | None = None
    status_label: str | None = None
    # Set for emails sent to the customer: "confirmation", "reply", ...
    email_purpose: str | None = None


class CaseStatusOut(Schema):
    case_number: str
    status: str
    status_label: str
    topic: str
    topic_name: str
    created_at: datetime
    expected_answer_by: datetime | None
    timeline: list[TimelineEventOut]
