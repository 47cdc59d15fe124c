"""bench/generate_cases.py on a real PostgreSQL server: a small desk, then its rows are checked
against the desk's own code (the search rows are rebuilt by ``search.services``), and searched
the way the console searches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from postdesk.domain import search as text
from postdesk.domain import tracking

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    # The PostgreSQL server of the test run (or the local default one); a database of our own.
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    db_url = urlunsplit(parts._replace(path=f"/pd_bench_gen_{os.getpid()}"))
    out = tmp_path_factory.mktemp("gen") / "result.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate_cases.py"), "--cases", "600", "--days", "10",
         "--db-url", db_url, "--json", str(out), "--check-search", "200",
         "--var-dir", str(tmp_path_factory.mktemp("var"))],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())
    with psycopg.connect(db_url) as connection:
        yield result, connection
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "pd_bench_gen_{os.getpid()}" WITH (FORCE)')


@pytest.mark.timeout(900)
def test_bulk_built_search_rows_equal_what_the_desk_builds(generated):
    result, _connection = generated
    check = result["search_check"]
    assert check["checked"] >= 150
    assert check["terms_equal"] == check["public_terms_equal"] == check["identifiers_equal"] == check["checked"], (
        check["differences"])


@pytest.mark.timeout(900)
def test_about_five_messages_a_case_in_three_languages(generated):
    result, connection = generated
    rows = result["rows"]
    assert rows["cases_case"] == 600
    # A finished case has had its exchanges: about 5 messages (the default span of two years
    # is almost all finished cases; this small one has many fresh ones).
    per_finished_case = connection.execute(
        "SELECT avg(n) FROM (SELECT count(*) AS n FROM cases_message m JOIN cases_case c ON c.id = m.case_id "
        "WHERE c.status IN ('resolved', 'closed') GROUP BY c.id) AS counts").fetchone()[0]
    assert 4.0 <= per_finished_case <= 6.5
    assert rows["cases_message"] > 3 * rows["cases_case"]
    languages = dict(connection.execute("SELECT language, count(*) FROM cases_case GROUP BY 1").fetchall())
    assert set(languages) == {"en", "de", "es"}
    named = connection.execute("SELECT count(*) FROM cases_customer WHERE name = '' OR email = ''").fetchone()[0]
    assert named == 0
    phones = connection.execute("SELECT count(*) FROM cases_customer WHERE phone LIKE '+1%'").fetchone()[0]
    assert phones > 0


@pytest.mark.timeout(900)
def test_tracking_numbers_are_valid_in_text_entities_and_index(generated):
    _result, connection = generated
    indexed = [row[0] for row in connection.execute(
        "SELECT value FROM search_searchidentifier WHERE kind = 'tracking'")]
    assert len(indexed) > 100
    assert all(tracking.check(value).valid for value in indexed)
    entities = {row[0] for row in connection.execute("SELECT value FROM triage_caseentity WHERE kind = 'tracking'")}
    assert entities == set(indexed)
    # Each one is written in its case's first message (as printed or in groups of four).
    case_id, number = connection.execute(
        "SELECT case_id, value FROM search_searchidentifier WHERE kind = 'tracking' ORDER BY case_id LIMIT 1").fetchone()
    body = connection.execute("SELECT body FROM cases_message WHERE case_id = %s ORDER BY id LIMIT 1",
                              [case_id]).fetchone()[0]
    assert number in {found.normalised for found in tracking.find_in_text(body)}


@pytest.mark.timeout(900)
@pytest.mark.parametrize("query,language", [("Pakete angekommen", "de"), ("paquetes llegado", "es"),
                                            ("delivered packages", "en")])
def test_the_full_text_index_answers_stemmed_queries(generated, query, language):
    _result, connection = generated
    words = text.query_terms(query)
    tsquery = " & ".join("(" + " | ".join(sorted(group)) + ")" for group in words.groups)
    found = connection.execute(
        "SELECT d.language FROM search_searchdocument d WHERE d.tsv @@ %s::tsquery", [tsquery]).fetchall()
    assert found, query
    assert language in {row[0] for row in found}


@pytest.mark.timeout(900)
def test_every_id_sequence_is_past_the_loaded_rows(generated):
    """Ids were explicit in COPY: the desk's next insert must not collide with a loaded row."""
    _result, connection = generated
    tables = [row[0] for row in connection.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' "
        "AND (column_default IS NOT NULL OR is_identity = 'YES')")]
    checked = 0
    for table in tables:
        sequence = connection.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()[0]
        if sequence is None:
            continue
        highest = connection.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
        last, called = connection.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
        assert (last if called else last - 1) >= highest, table
        checked += 1
    assert checked > 10
