"""Fill a fresh PostgreSQL database with a desk's two years of cases, fast, for bench/pages.py
and bench/scale.py (docs/scale.md).

    .venv/bin/python bench/generate_cases.py                     # 1,000,000 cases, 5M messages
    .venv/bin/python bench/generate_cases.py --cases 10000000    # ten million
    .venv/bin/python bench/generate_cases.py --cases 50000       # a quick one
    .venv/bin/python bench/generate_cases.py --db-url postgres://postgres@127.0.0.1:5432/other

What it does, in order:

1. Drops and creates the database (``--db-url``, default ``postdesk_pages``), runs
   ``postdesk migrate`` against it (the default departments and topics come from the data
   migration), and creates the staff with the ORM: agents per department (the bench logs in as
   ``bench-agent`` of Package Tracking) and ``bench-supervisor``.
2. Drops the secondary indexes, unique and foreign-key constraints of the big tables (their
   definitions are read back from the catalog first), so COPY appends to bare heaps.
3. Customers (names of their language, unique emails, real ZIP codes, valid phones:
   ``scale_data.py``), then one pass over the cases in creation order that writes every
   dependent row at once: one COPY stream per table on its own connection (cases, clocks,
   triage and its entities, about 5 messages a case in en/de/es with valid tracking numbers,
   events, rating requests, ratings, the search documents and identifiers), so the server
   parses them on the second core while this process generates. Ids are explicit.
4. Recreates the indexes and constraints (foreign keys are validated), sets the sequences,
   ``VACUUM ANALYZE`` (index-only scans need the visibility map a fresh table lacks).
5. The dashboards' rollups (``stats_rollup_day`` for every day of the span, as
   ``postdesk sla_rollup --days N`` does) and a backlog snapshot.
6. ``--check-search N``: N random cases' search rows rebuilt by ``search.services`` and compared.

The data follow the code's rules (read from the models and ``sla.services``): a CaseClock per
case with due and at-risk moments only on running clocks, ``*_breached`` = elapsed > target,
``next_due_at`` the earliest running due time (copied to ``Case.sla_due_at``, the queue's sort
key); waiting cases are paused; resolved and closed
cases have stopped clocks. Business time is approximated from wall time (9 business hours a
day, 5 days a week: 0.268), which is all the pages need.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from postdesk.domain import case_numbers  # framework-free: no Django needed to import it

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_data  # noqa: E402  (bench/: realistic people, addresses, tracking numbers, text)

DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/postdesk_pages"
PASSWORD = "bench-pages-password"
BENCH_AGENT, BENCH_SUPERVISOR = "bench-agent", "bench-supervisor"
BENCH_DEPARTMENT = "tracking"

# The tables this script fills; their secondary indexes and constraints are rebuilt after COPY.
BIG_TABLES = ("cases_customer", "cases_case", "cases_message", "cases_caseevent", "sla_caseclock",
              "triage_casetriage", "sla_ratingrequest", "sla_caserating", "triage_caseentity",
              "search_searchdocument", "search_searchidentifier")

# 9 business hours a day, 5 days a week: business seconds per wall-clock second.
BUSINESS_PER_WALL = 9 / 24 * 5 / 7
HOUR, DAY = 3600, 86400
BUSINESS_DAY = 9 * HOUR

TOPIC_WEIGHTS = {"track_package": 30, "missing_package": 20, "delivery_issue": 15, "claim_refund": 10,
                 "feedback_complaint": 8, "delivery_services": 8, "informed_delivery": 5, "general": 4}
LANGUAGES = (("en", 80), ("es", 14), ("de", 6))
CHANNELS = (("web", 45), ("email", 35), ("chat", 8), ("api", 7), ("social", 5))
PRIORITIES = ((1, 10), (2, 72), (3, 16), (4, 2))
# Agents per department (bench-agent is one more in Package Tracking).
AGENTS = {"tracking": 14, "missing-mail": 10, "delivery": 8, "claims": 6, "consumer-affairs": 6,
          "delivery-services": 4, "online": 3}
SCORES = ((5, 45), (4, 25), (3, 12), (2, 8), (1, 10))

SUBJECTS = {
    "en": {
        "track_package": ["Tracking has not updated in {n} days", "Package stuck in transit",
                          "Where is my package?", "Tracking says delivered but nothing arrived"],
        "missing_package": ["Letter never arrived", "Missing package sent {n} days ago",
                            "Mail from my bank is missing"],
        "delivery_issue": ["Mail delivered to the wrong address", "Carrier skipped our street",
                           "Package left in the rain"],
        "claim_refund": ["Refund for Priority Mail Express", "Damaged item, insured",
                         "Claim for a lost parcel"],
        "feedback_complaint": ["Rude clerk at my Post Office", "Thank you to our carrier",
                               "Long lines every Saturday"],
        "delivery_services": ["Hold mail while on vacation", "Change of address not working",
                              "PO box renewal"],
        "informed_delivery": ["Cannot sign in to Informed Delivery", "No scans in my daily digest"],
        "general": ["Question about postage rates", "Opening hours on holidays"],
    },
    "de": {
        "track_package": ["Sendungsverfolgung seit {n} Tagen unverändert", "Wo ist mein Paket?"],
        "missing_package": ["Brief nie angekommen", "Paket fehlt seit {n} Tagen"],
        "delivery_issue": ["Post an falsche Adresse zugestellt", "Paket beschädigt zugestellt"],
        "claim_refund": ["Erstattung für Expresssendung", "Schaden an versicherter Sendung"],
        "feedback_complaint": ["Beschwerde über die Filiale", "Danke an die Zustellerin"],
        "delivery_services": ["Postlagerung während des Urlaubs", "Adressänderung"],
        "informed_delivery": ["Anmeldung bei Informed Delivery klappt nicht"],
        "general": ["Frage zum Porto"],
    },
    "es": {
        "track_package": ["El rastreo no avanza desde hace {n} días", "¿Dónde está mi paquete?"],
        "missing_package": ["La carta nunca llegó", "Paquete perdido desde hace {n} días"],
        "delivery_issue": ["Correo entregado en otra dirección", "Paquete mojado"],
        "claim_refund": ["Reembolso de Priority Mail Express", "Reclamación por artículo dañado"],
        "feedback_complaint": ["Queja sobre la oficina postal", "Gracias a nuestro cartero"],
        "delivery_services": ["Retener el correo durante las vacaciones", "Cambio de dirección"],
        "informed_delivery": ["No puedo entrar en Informed Delivery"],
        "general": ["Pregunta sobre tarifas"],
    },
}
FIRST_NAMES = ["Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Elena",
               "Jürgen", "Sofia", "Carlos", "Anna", "Thomas", "Lucía", "Ahmed", "Mei", "Olga", "Kwame", "Aiko"]
LAST_NAMES = ["Smith", "Johnson", "Garcia", "Müller", "Schmidt", "Rodriguez", "Brown", "Lee", "Nguyen",
              "Martinez", "Wilson", "Fischer", "López", "Davis", "Kowalski", "Okafor", "Tanaka", "Silva"]
CUSTOMER_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
URGENT_REASONS = ["passport", "express_failing", "legal_deadline", "notarisation"]
TRACKING_TOPICS = ("track_package", "missing_package", "claim_refund")
ADDRESS_TOPICS = ("missing_package", "delivery_issue", "delivery_services", "claim_refund")
# Further exchanges (a customer's message and the agent's answer) after the first answer:
# with the first message, the first answer, follow-ups and notes, about 5 messages a case.
ROUNDS = ((0, 28), (1, 35), (2, 24), (3, 9), (4, 4))


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


def database_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


# --- COPY text format


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def ts(epoch: float | None) -> str:
    if epoch is None:
        return "\\N"
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()


def opt(value) -> str:
    return "\\N" if value is None else str(value)


def boolean(value: bool | None) -> str:
    return "\\N" if value is None else ("t" if value else "f")


class Stream:
    """One table's COPY on its own connection; rows are buffered and sent in chunks."""

    def __init__(self, stack: ExitStack, url: str, table: str, columns: str):
        import psycopg

        self.table = table
        self.rows = 0
        self._buffer: list[str] = []
        self.connection = stack.enter_context(psycopg.connect(url))
        self.connection.execute("SET synchronous_commit = off")
        cursor = stack.enter_context(self.connection.cursor())
        self.copy = stack.enter_context(cursor.copy(f"COPY {table} ({columns}) FROM STDIN"))

    def add(self, *fields: str) -> None:
        self._buffer.append("\t".join(fields))
        if len(self._buffer) >= 4000:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self.rows += len(self._buffer)
            self.copy.write("\n".join(self._buffer) + "\n")
            self._buffer = []


class Picker:
    """Weighted choice by bisection on one random() call (random.choices is slower per call)."""

    def __init__(self, rng: random.Random, pairs):
        self.rng = rng
        self.values = [value for value, _weight in pairs]
        total, self.edges = 0.0, []
        for _value, weight in pairs:
            total += weight
            self.edges.append(total)
        self.total = total

    def __call__(self):
        return self.values[bisect.bisect(self.edges, self.rng.random() * self.total)]


# --- Setup


def create_database(args) -> dict:
    import psycopg

    name = urlsplit(args.db_url).path.lstrip("/")
    admin = database_url(args.db_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = dict(os.environ, DATABASE_URL=args.db_url, POSTDESK_VAR_DIR=args.var_dir,
               DJANGO_SETTINGS_MODULE="postdesk.config.settings")
    postdesk = Path(sys.executable).parent / "postdesk"
    subprocess.run([str(postdesk), "migrate", "--no-input", "-v", "0"], env=env, check=True)
    return env


def setup_django(db_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["POSTDESK_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "postdesk.config.settings"
    import django

    django.setup()


def create_staff() -> dict[str, list[int]]:
    """Agents per department slug (user ids), bench-agent first in its department."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from postdesk.accounts.models import AgentProfile
    from postdesk.cases.models import Department

    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: PBKDF2 per user would cost a second each
    departments = {d.slug: d for d in Department.objects.all()}
    agents: dict[str, list[int]] = {}
    for slug, count in AGENTS.items():
        names = [BENCH_AGENT] if slug == BENCH_DEPARTMENT else []
        names += [f"agent-{slug}-{n}" for n in range(1, count + 1)]
        agents[slug] = []
        for n, username in enumerate(names):
            user = User.objects.create(username=username, password=password, email=f"{username}@desk.example",
                                       first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                                       last_name=LAST_NAMES[(n * 7) % len(LAST_NAMES)])
            profile = AgentProfile.objects.create(user=user, role=AgentProfile.Role.AGENT)
            profile.departments.add(departments[slug])
            agents[slug].append(user.pk)
    supervisor = User.objects.create(username=BENCH_SUPERVISOR, password=password,
                                     email=f"{BENCH_SUPERVISOR}@desk.example", first_name="Sam",
                                     last_name="Supervisor")
    AgentProfile.objects.create(user=supervisor, role=AgentProfile.Role.SUPERVISOR)
    return agents


def strip_tables(url: str) -> list[str]:
    """Drop secondary indexes, unique and foreign-key constraints of BIG_TABLES; return the DDL
    that recreates them (indexes, then unique constraints, then foreign keys)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        constraints = connection.execute(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype IN ('u', 'f') AND c.conrelid::regclass::text = ANY(%s)",
            [list(BIG_TABLES)]).fetchall()
        indexes = connection.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [list(BIG_TABLES)]).fetchall()
        for table, name, _type, _definition in constraints:
            connection.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            connection.execute(f"DROP INDEX {name}")
    ddl = [definition for _name, definition in indexes]
    for wanted in ("u", "f"):
        ddl += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                for table, name, kind, definition in constraints if kind == wanted]
    return ddl


def restore_tables(url: str, ddl: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '512MB'")
        for statement in ddl:
            connection.execute(statement)


# --- Rows


def write_customers(url: str, rng: random.Random, count: int, start: float) -> list:
    """Customers 1..count; returns each one as a ``scale_data.Person`` (index = id): a name of
    their language, a unique email address, a real ZIP code's city and state, and for 60 % a
    phone number of that area."""
    languages = Picker(rng, LANGUAGES)
    places = scale_data.Places()
    people: list = [None]
    with ExitStack() as stack:
        stream = Stream(stack, url, "cases_customer",
                        "id, email, name, phone, language, created_at, email_bounce_reason, email_bounced_at")
        for cid in range(1, count + 1):
            language = languages()
            person = scale_data.Person(rng, places, language, cid, with_phone=rng.random() < 0.6)
            people.append(person)
            stream.add(str(cid), person.email, _escape(person.name), person.phone, language,
                       ts(start + rng.random() * 365 * DAY), "", "\\N")
        stream.flush()
    return people


def case_number(rng: random.Random, seen: set) -> str:
    while True:
        number = case_numbers.generate(rng)
        if number not in seen:
            seen.add(number)
            return number


def active_probability(age_days: float) -> float:
    """A realistic open backlog (~4 %): nearly all of the last two days, a tail of old ones."""
    if age_days < 2:
        return 0.95
    if age_days < 7:
        return 0.75
    if age_days < 21:
        return 0.45
    if age_days < 60:
        return 0.2
    return 0.015


def write_cases(url: str, rng: random.Random, args, *, start: float, now: float,
                customers: list, agents: dict[str, list[int]],
                topics: dict[str, tuple[int, int, str]], department_names: dict[int, tuple[str, str]]) -> dict:
    topic_pick = Picker(rng, list(TOPIC_WEIGHTS.items()))
    channel_pick = Picker(rng, CHANNELS)
    priority_pick = Picker(rng, PRIORITIES)
    score_pick = Picker(rng, SCORES)
    language_pick = Picker(rng, LANGUAGES)
    rounds_pick = Picker(rng, ROUNDS)
    agent_names = {}
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        agent_names[user.pk] = _escape(user.get_full_name() or user.username)
    scale_data.check_sample(random.Random(args.seed))  # the numbers below pass domain.tracking
    places = scale_data.Places()
    agent_first_names = {pk: name.split(" ")[0] for pk, name in agent_names.items()}
    topic_slugs = list(TOPIC_WEIGHTS)
    # Suggestions JSON per (topic, confidence bucket), built once.
    suggestion_pool = {}
    for slug in topic_slugs:
        for bucket in range(20):
            confidence = round(0.25 + bucket * 0.0375, 3)
            others = [s for s in topic_slugs if s != slug]
            second = round((1 - confidence) * 0.6, 3)
            third = round((1 - confidence) * 0.25, 3)
            suggestion_pool[(slug, bucket)] = (confidence, _escape(json.dumps(
                [[slug, confidence], [others[bucket % 7], second], [others[(bucket + 3) % 7], third]])))
    fr_target, res_target = 3 * BUSINESS_DAY, 10 * BUSINESS_DAY
    urgent_fr_target, urgent_res_target = 1 * BUSINESS_DAY, 3 * BUSINESS_DAY
    summary = "first response within 3 business days, resolution within 10 business days (desk defaults)"
    urgent_summary = "first response within 1 business days, resolution within 3 business days (desk defaults)"
    seen_numbers: set = set()
    counts = {"active": 0, "needs_triage_active": 0}
    terms = scale_data.Terms()
    of = terms.of
    identifier_id = 0
    message_id = event_id = request_id = rating_id = 0
    span = now - start
    n_customers = len(customers) - 1
    entity_id = 0

    with ExitStack() as stack:
        cases = Stream(stack, url, "cases_case",
                       "id, number, subject, status, priority, channel, language, phone, tracking_numbers, "
                       "address, date_mailed, expected_answer_by, first_response_at, created_at, updated_at, "
                       "assignee_id, customer_id, department_id, topic_id, closed_at, linked_case_id, participants, "
                       "sla_due_at")  # urgent is generated by the database from priority
        clocks = Stream(stack, url, "sla_caseclock",
                        "case_id, policy_summary, time_zone, customer_time_zone, at_risk_percent, started_at, "
                        "running_since, first_response_target, first_response_elapsed, first_response_due_at, "
                        "first_response_at_risk_at, first_responded_at, first_response_breached, "
                        "resolution_target, resolution_elapsed, resolution_due_at, resolution_at_risk_at, "
                        "resolved_at, resolution_breached, next_due_at, next_at_risk_at, promise_delayed, "
                        "chased_at, chase_count, status_update_sent_at, first_response_risk_escalated_at, "
                        "first_response_breach_escalated_at, resolution_risk_escalated_at, "
                        "resolution_breach_escalated_at, updated_at, policy_id")
        triages = Stream(stack, url, "triage_casetriage",
                         "id, decided_by, reason, model_version, predicted_topic, confidence, suggestions, "
                         "needs_triage, language, language_confidence, urgent, urgent_reasons, other_carriers, "
                         "entities, created_at, updated_at, case_id, triaged_by_id, rule_id")
        messages = Stream(stack, url, "cases_message",
                          "id, kind, channel, sender, subject, body, message_id, created_at, author_id, case_id, "
                          "html_body, raw_email_id")
        events = Stream(stack, url, "cases_caseevent",
                        "id, type, public, data, created_at, actor_id, case_id, message_id")
        requests = Stream(stack, url, "sla_ratingrequest", "id, created_at, used_at, case_id")
        ratings = Stream(stack, url, "sla_caserating", "id, score, comment, created_at, case_id, request_id")
        case_entities = Stream(stack, url, "triage_caseentity", "id, kind, value, case_id")
        # The search index (postdesk.search): one document per case, its exact identifiers.
        documents = Stream(stack, url, "search_searchdocument",
                           "id, case_id, customer_id, language, terms, public_terms, updated_at")
        identifiers = Stream(stack, url, "search_searchidentifier", "id, case_id, customer_id, kind, value")

        def event(type_: str, public: bool, data: str, at: float, case_id: int, actor=None, message=None):
            nonlocal event_id
            event_id += 1
            events.add(str(event_id), type_, boolean(public), data, ts(at), opt(actor), str(case_id), opt(message))

        for case_id in range(1, args.cases + 1):
            if case_id % 100000 == 0:
                log(f"  {case_id:,} cases")
            created = start + (case_id - 1 + rng.random()) * span / args.cases
            age_days = (now - created) / DAY
            slug = topic_pick()
            topic_id, department_id, department_slug = topics[slug]
            customer_id = rng.randrange(1, n_customers + 1)
            person = customers[customer_id]
            language = person.language if rng.random() < 0.9 else language_pick()
            channel = channel_pick()
            priority = priority_pick()
            urgent = priority == 4
            fr_t, res_t = (urgent_fr_target, urgent_res_target) if urgent else (fr_target, res_target)
            if rng.random() < 0.04:  # someone else writes for the customer, from another place
                person = scale_data.Person(rng, places, language, customer_id, with_phone=rng.random() < 0.6)
                person.email = customers[customer_id].email
            name, sender = _escape(person.name), person.email
            # Tracking numbers: unique, valid check digits; as the customer typed them in the text.
            tracking = (scale_data.tracking_number(rng) if slug in TRACKING_TOPICS
                        or (slug == "delivery_issue" and rng.random() < 0.5) else None)
            typed = scale_data.as_typed(rng, tracking) if tracking else ""
            with_address = slug in ADDRESS_TOPICS and rng.random() < 0.7
            days = rng.randint(2, 14)
            raw_subject = rng.choice(SUBJECTS[language][slug]).format(n=days)
            subject = _escape(raw_subject)
            # Search terms of what the customer sees and of internal notes (search.services).
            public = set(of(raw_subject, language) | terms.name(customers[customer_id].name, language))
            internal: set = set()
            re_terms = of("Re: " + raw_subject, language)
            body = scale_data.customer_body(
                rng, language, slug, person, typed=typed, days=days, with_address=with_address,
                date=datetime.fromtimestamp(created - days * DAY, timezone.utc).date().isoformat(),
                terms=terms, into=public)
            form = channel in ("web", "api")
            department_agents = agents[department_slug]

            # Life of the case: when it was answered, resolved, or where it stands now.
            fr_delay = rng.lognormvariate(1.8 if urgent else 3.4, 1.0) * HOUR  # median 6 h / 30 h wall
            res_delay = fr_delay + rng.lognormvariate(4.2, 1.0) * HOUR         # + median ~2.8 days
            active = rng.random() < active_probability(age_days)
            if not active and created + res_delay > now:
                active = True  # not resolved yet: it would be resolved in the future
            first_response = created + fr_delay
            if active:
                counts["active"] += 1
                # The backlog: a share of open cases is still waiting for its first answer.
                answered = first_response < now - 60 and rng.random() < 0.6
                roll = rng.random()
                if answered:
                    status = "waiting" if roll < 0.35 else "open"
                else:
                    status = "new" if roll < 0.6 else "open"
                    first_response = None
                resolved = None
                assignee = (rng.choice(department_agents) if (status != "new" and rng.random() < 0.8)
                            else None)
            else:
                resolved = created + res_delay
                status = "resolved" if now - resolved < 7 * DAY else "closed"
                assignee = rng.choice(department_agents) if rng.random() < 0.95 else None
            replier = assignee or rng.choice(department_agents)
            fr_due_initial = created + fr_t / BUSINESS_PER_WALL

            # The clock, by the rules of sla.services (_plan, _fold, clock_first_response, ...).
            fr_elapsed = int((first_response - created) * BUSINESS_PER_WALL) if first_response else 0
            fr_breached = (fr_elapsed > fr_t) if first_response else None
            res_elapsed, res_breached = 0, None
            running_since = None
            fr_due = fr_risk = res_due = res_risk = None
            updated = created
            if status in ("new", "open"):
                running_since = created
                if first_response is None:
                    fr_elapsed = 0
                    fr_due = created + fr_t / BUSINESS_PER_WALL
                    fr_risk = created + 0.75 * fr_t / BUSINESS_PER_WALL
                res_due = created + res_t / BUSINESS_PER_WALL
                res_risk = created + 0.75 * res_t / BUSINESS_PER_WALL
                updated = first_response or created
            elif status == "waiting":
                waiting_since = first_response + rng.random() * min(now - first_response, 2 * DAY)
                res_elapsed = int((waiting_since - created) * BUSINESS_PER_WALL)
                updated = waiting_since
            else:
                res_elapsed = int((resolved - created) * BUSINESS_PER_WALL)
                res_breached = res_elapsed > res_t
                updated = resolved
            dues = [d for d in (fr_due, res_due) if d is not None]
            risks = [d for d in (fr_risk, res_risk) if d is not None]
            next_due = min(dues) if dues else None
            next_risk = min(risks) if risks else None
            chased = (status in ("new", "open") and first_response is None and rng.random() < 0.05)
            chased_at = created + rng.random() * (now - created) if chased else None

            number = case_number(rng, seen_numbers)
            cases.add(str(case_id), number, subject, status, str(priority), channel, language,
                      person.phone if form else "", json.dumps([tracking] if tracking and form else []),
                      _escape(person.address) if with_address and form else "", "\\N", ts(fr_due_initial), ts(first_response), ts(created), ts(updated),
                      opt(assignee), str(customer_id), str(department_id), str(topic_id), ts(resolved),
                      "\\N", "[]", ts(next_due))
            clocks.add(str(case_id), urgent_summary if urgent else summary, "America/New_York",
                       CUSTOMER_ZONES[customer_id % 4], "75", ts(created), ts(running_since), str(fr_t),
                       str(fr_elapsed), ts(fr_due), ts(fr_risk), ts(first_response), boolean(fr_breached),
                       str(res_t), str(res_elapsed), ts(res_due), ts(res_risk), ts(resolved),
                       boolean(res_breached), ts(next_due), ts(next_risk), boolean(False), ts(chased_at),
                       "1" if chased else "0", "\\N", "\\N", "\\N", "\\N", "\\N", ts(updated), "\\N")

            # Triage: mostly the model; low confidence on an untouched case asks for a person.
            bucket = min(19, int(rng.betavariate(4, 1.6) * 20))
            confidence, suggestions = suggestion_pool[(slug, bucket)]
            decided = "customer" if channel in ("web", "api") and rng.random() < 0.3 else "model"
            needs_triage = decided == "model" and confidence < 0.55 and (active or rng.random() < 0.1)
            if needs_triage and active:
                counts["needs_triage_active"] += 1
            # Entities as triage.services stores them, and their search rows (triage_caseentity).
            found = {"tracking_numbers": [scale_data.entity_json(tracking, typed)] if tracking else [],
                     "addresses": [person.address_line] if with_address else [],
                     "zip_codes": [person.zip] if with_address else [],
                     "phones": [person.phone] if person.phone and person.phone_display in body else [],
                     "dates": [], "money": []}
            entities = _escape(json.dumps(found, ensure_ascii=False))
            for kind, values in (("tracking", [tracking] if tracking else []), ("address", found["addresses"]),
                                 ("zip", found["zip_codes"]), ("phone", found["phones"])):
                for value in values:
                    entity_id += 1
                    case_entities.add(str(entity_id), kind, value, str(case_id))
            urgent_reasons = json.dumps([rng.choice(URGENT_REASONS)]) if urgent and rng.random() < 0.5 else "[]"
            triages.add(str(case_id), decided, _escape(f"model: {slug} ({confidence:.2f})"), "bench-1",
                        slug, str(confidence), suggestions, boolean(needs_triage), language,
                        f"{0.9 + rng.random() * 0.1:.3f}", boolean(urgent_reasons != "[]"), urgent_reasons,
                        "[]", entities, ts(created), ts(created), str(case_id), "\\N", "\\N")

            # Messages: the customer's, the agent's first answer, sometimes a follow-up.
            message_id += 1
            first_message = message_id
            mail_id = f"<{case_id}.1@mail.example.net>" if channel == "email" else ""
            messages.add(str(message_id), "customer", channel, sender, subject, body, mail_id, ts(created),
                         "\\N", str(case_id), "", "\\N")
            reply_message = None
            agent_name = agent_names[replier]
            if first_response is not None:
                message_id += 1
                reply_message = message_id
                messages.add(str(message_id), "reply", "email", "", "Re: " + subject,
                             scale_data.reply_body(rng, language, person, agent_name, terms=terms, into=public),
                             f"<{case_id}.r@desk.example>", ts(first_response), str(replier), str(case_id), "",
                             "\\N")
            follow_up = None
            if rng.random() < 0.3:
                follow_up_at = created + fr_delay * rng.random()
                if follow_up_at < now:
                    message_id += 1
                    follow_up = (message_id, follow_up_at)
                    messages.add(str(message_id), "customer", channel, sender, "Re: " + subject,
                                 scale_data.follow_up_body(rng, language, person, typed, terms=terms, into=public), "", ts(follow_up_at),
                                 "\\N", str(case_id), "", "\\N")
            # After the first answer: more exchanges and internal notes, spread up to the end of
            # the case (or now).
            later = []  # (message id, kind, at)
            if first_response is not None:
                end = resolved if resolved else (updated if status == "waiting" else now - 60)
                end = max(end, first_response + 60)
                rounds = rounds_pick()
                moments = sorted(first_response + rng.random() * (end - first_response)
                                 for _ in range(2 * rounds))
                for n, at in enumerate(moments):
                    message_id += 1
                    if n % 2 == 0:
                        later.append((message_id, "customer", at))
                        messages.add(str(message_id), "customer", channel, sender, "Re: " + subject,
                                     scale_data.follow_up_body(rng, language, person, typed, terms=terms, into=public), "", ts(at), "\\N",
                                     str(case_id), "", "\\N")
                    else:
                        later.append((message_id, "reply", at))
                        messages.add(str(message_id), "reply", "email", "", "Re: " + subject,
                                     scale_data.reply_body(rng, language, person, agent_name, terms=terms, into=public),
                                     f"<{case_id}.r{n}@desk.example>", ts(at), str(replier), str(case_id), "",
                                     "\\N")
                if rng.random() < 0.25:
                    message_id += 1
                    at = first_response + rng.random() * (end - first_response)
                    later.append((message_id, "note", at))
                    messages.add(str(message_id), "note", "console", "", "", scale_data.note_body(rng, person, terms=terms, into=internal), "",
                                 ts(at), str(replier), str(case_id), "", "\\N")

            # The timeline the case page reads: for every open case.
            if active:
                event("opened", True, json.dumps({"channel": channel}), created, case_id)
                department_slug_name = department_names[department_id]
                event("routed", False, _escape(json.dumps({
                    "department": department_slug_name[0], "department_name": department_slug_name[1],
                    "reason": f"model: {slug} ({confidence:.2f})"})), created, case_id)
                event("message_received", True, json.dumps({"channel": channel, "reason": "new case"}),
                      created, case_id, message=first_message)
                if follow_up:
                    event("message_received", True,
                          json.dumps({"channel": channel, "reason": "reply to case number in subject"}),
                          follow_up[1], case_id, message=follow_up[0])
                if assignee:
                    event("assigned", False, _escape(json.dumps({"assignee": agent_names[assignee]})),
                          created + 600, case_id, actor=assignee)
                if reply_message:
                    event("reply_sent", True, "{}", first_response, case_id, actor=replier, message=reply_message)
                for later_id, kind, at in later:
                    if kind == "customer":
                        event("message_received", True,
                              json.dumps({"channel": channel, "reason": "reply to case number in subject"}),
                              at, case_id, message=later_id)
                    elif kind == "reply":
                        event("reply_sent", True, "{}", at, case_id, actor=replier, message=later_id)
                    else:
                        event("note_added", False, "{}", at, case_id, actor=replier, message=later_id)
                if status == "waiting":
                    event("status_changed", True, json.dumps({"old": "open", "new": "waiting"}),
                          updated, case_id, actor=replier)
            elif rng.random() < 0.2:
                # A rating request for some resolved cases; a third of them answered.
                request_id += 1
                used = resolved + rng.random() * 3 * DAY if rng.random() < 0.35 else None
                if used is not None and used > now:
                    used = None
                requests.add(str(request_id), ts(resolved), ts(used), str(case_id))
                if used is not None:
                    rating_id += 1
                    ratings.add(str(rating_id), str(score_pick()), "", ts(used), str(case_id), str(request_id))

            # The case's search rows, as search.services.document_build makes them.
            if reply_message or follow_up or later:
                public |= re_terms
            documents.add(str(case_id), str(case_id), str(customer_id), language,
                          " ".join(sorted(public | internal)), " ".join(sorted(public)), ts(updated))
            customer = customers[customer_id]
            keys = [("number", case_numbers.normalise(number)), ("email", customer.email)]
            keys += [("phone", value) for value in sorted({customer.phone, person.phone if form else ""} - {""})]
            if tracking:
                keys.append(("tracking", tracking))
            for kind, value in keys:
                identifier_id += 1
                identifiers.add(str(identifier_id), str(case_id), str(customer_id), kind, value)
        every = (cases, clocks, triages, messages, events, requests, ratings, case_entities, documents, identifiers)
        for stream in every:
            stream.flush()
        log("  COPY streams sent; waiting for the server to finish them")
        rows = {stream.table: stream.rows for stream in every}
    # ExitStack closed: every COPY ended and every connection committed.
    return {"rows": rows, **counts}


def set_sequences(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for table in ("cases_customer", "cases_case", "cases_message", "cases_caseevent",
                      "triage_casetriage", "sla_ratingrequest", "sla_caserating", "triage_caseentity",
                      "search_searchdocument", "search_searchidentifier"):
            connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def vacuum_analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def check_search_index(sample: int, seed: int) -> dict:
    """Rebuild ``sample`` random cases' search rows with the desk's own code
    (``search.services.document_build``) and compare them with the bulk-loaded ones."""
    from postdesk.cases.models import Case
    from postdesk.search.models import SearchDocument, SearchIdentifier
    from postdesk.search.services import case_text_from_case, document_build

    last = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    picker = random.Random(seed)
    ids = sorted({picker.randint(1, last) for _ in range(sample)})
    result = {"checked": 0, "terms_equal": 0, "public_terms_equal": 0, "identifiers_equal": 0, "differences": []}
    for case in Case.objects.select_related("customer").filter(id__in=ids):
        built, built_identifiers = document_build(case_text_from_case(case))
        stored = SearchDocument.objects.get(case_id=case.pk)
        stored_identifiers = set(SearchIdentifier.objects.filter(case_id=case.pk).values_list("kind", "value"))
        want_identifiers = {(row.kind, row.value) for row in built_identifiers}
        result["checked"] += 1
        same = (stored.terms == built.terms, stored.public_terms == built.public_terms,
                stored_identifiers == want_identifiers)
        result["terms_equal"] += same[0]
        result["public_terms_equal"] += same[1]
        result["identifiers_equal"] += same[2]
        if not all(same) and len(result["differences"]) < 5:
            result["differences"].append({
                "case": case.number, "language": case.language,
                "terms_missing": sorted(built.term_set - stored.term_set)[:20],
                "terms_extra": sorted(stored.term_set - built.term_set)[:20],
                "identifiers_missing": sorted(want_identifiers - stored_identifiers),
                "identifiers_extra": sorted(stored_identifiers - want_identifiers)})
    return result


def rollups(days: int) -> int:
    from postdesk.sla.stats import backlog_snapshot_take, desk_today, stats_rollup_day

    today = desk_today()
    rows = 0
    for offset in range(days):
        rows += stats_rollup_day(day=today - timedelta(days=offset))
        if offset and offset % 100 == 0:
            log(f"  rollups: {offset} days")
    backlog_snapshot_take()
    return rows


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", default=DEFAULT_DB_URL,
                        help=f"database to (re)create; it is dropped first (default {DEFAULT_DB_URL})")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=None, help="default: 40 %% of --cases")
    parser.add_argument("--days", type=int, default=730, help="span of creation dates, ending now")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--var-dir", default=None, help="POSTDESK_VAR_DIR (default: a fresh /tmp dir)")
    parser.add_argument("--json", default=None, help="write the timings and counts here")
    parser.add_argument("--check-search", type=int, default=300, metavar="N",
                        help="compare N random cases' bulk-built search rows with search.services (0: skip)")
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    if urlsplit(args.db_url).path.lstrip("/") in ("", "postgres", "template0", "template1"):
        raise SystemExit("--db-url must name a database of its own: it is dropped and recreated")
    args.var_dir = args.var_dir or tempfile.mkdtemp(prefix="postdesk-pages-gen-")
    customers = args.customers or max(1, int(args.cases * 0.4))
    rng = random.Random(args.seed)
    timings = {}
    began = time.monotonic()

    log(f"creating and migrating {urlsplit(args.db_url).path.lstrip('/')}")
    step = time.monotonic()
    create_database(args)
    setup_django(args.db_url, args.var_dir)
    from postdesk.cases.models import Department, Topic

    agents = create_staff()
    topics = {t.slug: (t.pk, t.department_id, t.department.slug) for t in Topic.objects.select_related("department")}
    missing = set(TOPIC_WEIGHTS) - set(topics)
    if missing:
        raise SystemExit(f"topics missing from cases.defaults: {sorted(missing)}")
    department_names = {d.pk: (d.slug, d.name) for d in Department.objects.all()}
    ddl = strip_tables(args.db_url)
    timings["migrate_s"] = round(time.monotonic() - step, 1)

    now = time.time()
    start = now - args.days * DAY
    log(f"COPY {customers:,} customers")
    step = time.monotonic()
    people = write_customers(args.db_url, rng, customers, start - 365 * DAY)
    log(f"COPY {args.cases:,} cases with clocks, triage, messages, events, ratings")
    counts = write_cases(args.db_url, rng, args, start=start, now=now, customers=people,
                         agents=agents, topics=topics, department_names=department_names)
    timings["copy_s"] = round(time.monotonic() - step, 1)

    log(f"recreating {len(ddl)} indexes and constraints")
    step = time.monotonic()
    restore_tables(args.db_url, ddl)
    set_sequences(args.db_url)
    timings["indexes_s"] = round(time.monotonic() - step, 1)

    log("VACUUM ANALYZE")
    step = time.monotonic()
    vacuum_analyze(args.db_url)
    timings["vacuum_analyze_s"] = round(time.monotonic() - step, 1)

    log(f"rollups for {args.days} days and a backlog snapshot")
    step = time.monotonic()
    rollup_rows = rollups(args.days + 1)
    vacuum_analyze(args.db_url)  # the rollup tables are new too
    timings["rollups_s"] = round(time.monotonic() - step, 1)
    timings["total_s"] = round(time.monotonic() - began, 1)
    log(f"checking the search rows of {args.check_search} cases against search.services")
    search_check = check_search_index(args.check_search, args.seed) if args.check_search else None
    if search_check:
        log(f"  search rows equal to the desk's own: terms {search_check['terms_equal']}, public terms "
            f"{search_check['public_terms_equal']}, identifiers {search_check['identifiers_equal']} "
            f"of {search_check['checked']}")

    import psycopg

    with psycopg.connect(args.db_url) as connection:
        size = connection.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    result = {"db_url": args.db_url, "cases": args.cases, "customers": customers, "days": args.days,
              "seed": args.seed, "timings": timings, "rollup_rows": rollup_rows, "database_size": size,
              "search_check": search_check, "loadavg_end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
              **counts}
    log(f"done in {timings['total_s']:.0f} s ({timings}); {counts['active']:,} open cases "
        f"({100 * counts['active'] / args.cases:.1f} %), database {size}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
