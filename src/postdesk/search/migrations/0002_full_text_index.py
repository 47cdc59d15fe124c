"""The full-text index itself, which Django's schema editor cannot describe on either database.

PostgreSQL: a stored generated ``tsv`` column built from the terms without PostgreSQL's parser
(``array_to_tsvector``: the terms are already stemmed in Python, and the parser would split them
differently from SQLite), and a GIN index on it.
SQLite: an FTS5 table over ``search_searchdocument`` (external content, so the terms are stored
once) and the three triggers the SQLite manual prescribes to keep it in step.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(terms, ' '))) STORED",
    "CREATE INDEX search_document_tsv_idx ON search_searchdocument USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_tsv_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_document_fts USING fts5("
    "terms, content='search_searchdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_document_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER search_document_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER search_document_fts_au AFTER UPDATE OF terms ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_document_fts(rowid, terms) VALUES (new.id, new.terms); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_fts_au",
    "DROP TRIGGER IF EXISTS search_document_fts_ad",
    "DROP TRIGGER IF EXISTS search_document_fts_ai",
    "DROP TABLE IF EXISTS search_document_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"search index: unsupported database {schema_editor.connection.vendor}")
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
