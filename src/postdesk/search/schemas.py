from __future__ import annotations

from datetime import datetime

from ninja import Schema


class SearchHitOut(Schema):
    case_number: str
    subject: str
    status: str
    status_label: str
    department: str
    topic: str
    customer_name: str
    customer_email: str
    created_at: datetime
    archived: bool
    url: str


class SearchPageOut(Schema):
    page: int
    page_size: int
    next_page: int | None
    ignored_words: list[str]
    results: list[SearchHitOut]


class SearchErrorsOut(Schema):
    errors: dict[str, list[str]]
