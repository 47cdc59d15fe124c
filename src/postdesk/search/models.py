"""The search index. Rows refer to cases by id without a foreign key: a case moved to the archive
(``postdesk.archive``) keeps its id and its index rows, so search still finds it.

Schema (what ``bench/`` bulk-loads; docs/search.md):

- ``search_searchdocument``: one row per case. ``terms`` is every term of the case (subject,
  customer name, every message including internal notes) separated by single spaces;
  ``public_terms`` only what the customer sees. On PostgreSQL a stored generated column
  ``tsv = array_to_tsvector(string_to_array(terms, ' '))`` with a GIN index; on SQLite an FTS5
  table ``search_document_fts(terms)`` over this table (external content, rowid = id), kept in
  step by triggers.
- ``search_searchidentifier``: (case id, kind, value) for exact matches: case numbers without
  dashes, tracking numbers normalised (and the PIC of routed USPS forms), email addresses in
  lower case, phones in E.164.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    case_id = models.BigIntegerField(unique=True)
    customer_id = models.BigIntegerField(db_index=True)
    # The language of the case when it was indexed: which stemmer its subject went through.
    language = models.CharField(max_length=8, default="en")
    terms = models.TextField(blank=True, default="")
    public_terms = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"search document of case {self.case_id}"

    @property
    def term_set(self) -> set[str]:
        return set(self.terms.split())

    @property
    def public_term_set(self) -> set[str]:
        return set(self.public_terms.split())


class SearchIdentifier(models.Model):
    class Kind(models.TextChoices):
        NUMBER = "number", "case number"
        TRACKING = "tracking", "tracking number"
        EMAIL = "email", "email address"
        PHONE = "phone", "phone number"

    case_id = models.BigIntegerField()
    customer_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=320)

    class Meta:
        indexes = [models.Index(fields=["value"], name="search_identifier_value_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case_id", "kind", "value"], name="uniq_search_identifier"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} -> case {self.case_id}"
