"""Read EVERY table the database has (from its own catalogue, not a hand list) and report where
any of the given strings occurs: text, JSON, binary and full-text columns alike, virtual and
shadow tables included."""

from __future__ import annotations

import json

from django.db import connection


def _as_text(value) -> str | None:
    if value is None or isinstance(value, (int, float, bool)):
        return None
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "ignore")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _sqlite_tables(cursor) -> list[str]:
    # type 'table' covers ordinary, virtual (FTS) and shadow tables alike.
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [f'"{name}"' for (name,) in cursor.fetchall()]


def _postgres_tables(cursor) -> list[str]:
    cursor.execute("""
        SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'
        ORDER BY 1""")
    return [name for (name,) in cursor.fetchall()]


def all_tables() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return _sqlite_tables(cursor)
        if connection.vendor == "postgresql":
            return _postgres_tables(cursor)
    raise AssertionError(f"no catalogue scan for {connection.vendor}")


def find(needles: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every occurrence, case-insensitively."""
    lowered = [needle.lower() for needle in needles]
    hits: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        for table in all_tables():
            cursor.execute(f"SELECT * FROM {table}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row):
                    text = _as_text(value)
                    if not text:
                        continue
                    text = text.lower()
                    for needle in lowered:
                        if needle in text:
                            hits.append((table, column, needle))
            if connection.vendor == "postgresql":
                # The row as PostgreSQL prints it too: tsvector and other types in text form.
                cursor.execute(f"SELECT t::text FROM {table} t")
                for (text,) in cursor.fetchall():
                    for needle in lowered:
                        if text and needle in text.lower():
                            hits.append((table, "(row text)", needle))
    return sorted(set(hits))
