"""The search analyser: one Python pipeline that both databases' indexes are fed from."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from postdesk.domain import search as text


def test_german_and_spanish_words_stem_to_the_same_term():
    assert text.document_terms("Pakete", "de") == text.document_terms("Paket", "de") == {"paket"}
    assert text.document_terms("envíos", "es") == text.document_terms("envío", "es") == {"envi"}


def test_stop_words_of_the_documents_language_are_not_indexed():
    assert text.document_terms("die Pakete sind da", "de") == {"paket"}
    assert text.document_terms("the parcels are late", "en") == {"parcel", "late"}


def test_query_words_carry_the_stems_of_every_language():
    query = text.query_terms("Pakete envíos")
    assert query.groups == (frozenset({"pakete", "paket", "paket"}), frozenset({"envios", "envio", "envi"}))
    assert text.matches(query, {"paket", "envi"})
    assert not text.matches(query, {"paket"})


def test_a_query_of_stop_words_only_is_empty_and_says_which_words_it_left_out():
    query = text.query_terms("the de die")
    assert not query
    assert query.ignored == ("the", "de", "die")


def test_names_are_indexed_as_written_as_well_as_stemmed():
    terms = text.name_terms("José García", "es")
    assert {"jose", "garcia"} <= terms
    assert text.matches(text.query_terms("garcia"), terms)
    assert text.matches(text.query_terms("García"), terms)


def test_terms_are_only_letters_and_digits():
    terms = text.document_terms("e-mail: a_b@example.com 12,5 € <script>", "en")
    assert all(text.is_safe_term(term) for term in terms)
    assert not text.is_safe_term("a'b") and not text.is_safe_term('a"b') and not text.is_safe_term("")


def _postgres_url() -> str:
    """The server of DATABASE_URL (its maintenance database: the named one may not exist yet),
    else POSTDESK_TEST_POSTGRES_URL, else the local server."""
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return os.environ.get("POSTDESK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_python_stems_are_postgresqls_snowball_stems():
    """The stemmer is the one PostgreSQL's english/german/spanish configurations use, word for
    word, over the vocabulary of the triage corpora (about 3,000 words)."""
    import psycopg

    try:
        connection = psycopg.connect(_postgres_url().replace("postgres://", "postgresql://", 1), connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("POSTDESK_REQUIRE_SERVICES") or os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is needed to compare stemmers: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    data = Path(text.__file__).resolve().parents[2] / "triage" / "data"
    mismatches = []
    with connection:
        for code, snowball in text.LANGUAGES.items():
            source = (data / f"bank_{code}.py").read_text(encoding="utf-8")
            vocabulary = sorted({word.lower() for word in re.findall(r"[^\W\d_]+", source)})
            assert len(vocabulary) > 500
            rows = connection.execute(
                f"SELECT word, ts_lexize('{snowball}_stem', word) FROM unnest(%s::text[]) AS word",
                (vocabulary,)).fetchall()
            stem = text._stemmer(snowball).stemWord
            for word, lexemes in rows:
                if lexemes and lexemes[0] != stem(word):  # [] is a PostgreSQL stop word
                    mismatches.append((snowball, word, lexemes[0], stem(word)))
    assert mismatches == []
