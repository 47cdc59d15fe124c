"""Fill a fresh PostgreSQL database with a desk's two years of cases, fast, for bench/pages.py.

    .venv/bin/python bench/generate_cases.py                     # 1,000,000 cases, ~3 minutes
    .venv/bin/python bench/generate_cases.py --cases 50000       # a quick one
    .venv/bin/python bench/generate_cases.py --db-url postgres://postgres@127.0.0.1:5432/other

What it does, in order:

1. Drops and creates the database (``--db-url``, default ``postdesk_pages``), runs
   ``postdesk migrate`` against it (the default departments and topics come from the data
   migration), and creates the staff with the ORM: agents per department (the bench logs in as
   ``bench-agent`` of Package Tracking) and ``bench-supervisor``.
2. Drops the secondary indexes, unique and foreign-key constraints of the big tables (their
   definitions are read back from the catalog first), so COPY appends to bare heaps.
3. Customers, then one pass over the cases in creation order that writes every dependent
   row at once: one COPY stream per table on its own connection (cases, clocks, triage,
   messages, events, rating requests, ratings), so the server parses them on the second core
   while this process generates. Rows come from plain generators; ids are explicit.
4. Recreates the indexes and constraints (foreign keys are validated), sets the sequences,
   ``VACUUM ANALYZE`` (index-only scans need the visibility map a fresh table lacks).
5. The dashboards' rollups (``stats_rollup_day`` for every day of the span, as
   ``postdesk sla_rollup --days N`` does) and a backlog snapshot.

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

DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/postdesk_pages"
PASSWORD = "bench-pages-password"
BENCH_AGENT, BENCH_SUPERVISOR = "bench-agent", "bench-supervisor"
BENCH_DEPARTMENT = "tracking"

# The tables this script fills; their secondary indexes and constraints are rebuilt after COPY.
BIG_TABLES = ("cases_customer", "cases_case", "cases_message", "cases_caseevent", "sla_caseclock",
              "triage_casetriage", "sla_ratingrequest", "sla_caserating")

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
BODIES = {
    "en": ["Hello,\n\nI sent a package on {d} and it still has not arrived. The tracking number is {t}.\n"
           "Could you please check what happened?\n\nThank you,\n{name}",
           "Hi, my mail has not been delivered for a week. Please help.\n\n{name}",
           "Good morning,\nthe package {t} shows no progress. It contains medication.\n\nBest regards\n{name}"],
    "de": ["Guten Tag,\n\nich habe am {d} ein Paket verschickt, Sendungsnummer {t}. Es ist nicht angekommen.\n\n"
           "Mit freundlichen Grüßen\n{name}",
           "Hallo, seit einer Woche bekomme ich keine Post mehr.\n\n{name}"],
    "es": ["Hola,\n\nenvié un paquete el {d} con número {t} y todavía no ha llegado.\n\nGracias,\n{name}",
           "Buenos días, hace una semana que no recibo correo.\n\n{name}"],
}
REPLIES = {
    "en": "Hello {name},\n\nthank you for contacting us. We have asked the local office to check on "
          "your item and will write again as soon as we hear back.\n\nKind regards,\nCustomer Service",
    "de": "Hallo {name},\n\nvielen Dank für Ihre Nachricht. Wir haben die Filiale gebeten, Ihre Sendung "
          "zu prüfen.\n\nFreundliche Grüße\nKundenservice",
    "es": "Hola {name}:\n\ngracias por escribirnos. Hemos pedido a la oficina local que revise su envío.\n\n"
          "Saludos,\nAtención al cliente",
}
FOLLOW_UP = "Any news? It is still not here.\n\n{name}"
FIRST_NAMES = ["Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Elena",
               "Jürgen", "Sofia", "Carlos", "Anna", "Thomas", "Lucía", "Ahmed", "Mei", "Olga", "Kwame", "Aiko"]
LAST_NAMES = ["Smith", "Johnson", "Garcia", "Müller", "Schmidt", "Rodriguez", "Brown", "Lee", "Nguyen",
              "Martinez", "Wilson", "Fischer", "López", "Davis", "Kowalski", "Okafor", "Tanaka", "Silva"]
CUSTOMER_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
URGENT_REASONS = ["passport", "express_failing", "legal_deadline", "notarisation"]


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


def write_customers(url: str, rng: random.Random, count: int, start: float) -> list[str]:
    """Customers 1..count; returns each one's language (index = id)."""
    languages = Picker(rng, LANGUAGES)
    language_of = [""]
    with ExitStack() as stack:
        stream = Stream(stack, url, "cases_customer",
                        "id, email, name, phone, language, created_at, email_bounce_reason, email_bounced_at")
        for cid in range(1, count + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            language = languages()
            language_of.append(language)
            phone = f"+1202555{cid % 10000:04d}" if rng.random() < 0.3 else ""
            email = f"{first}.{last}.{cid}@example.com".lower()
            stream.add(str(cid), _escape(email), _escape(f"{first} {last}"), phone, language,
                       ts(start + rng.random() * 365 * DAY), "", "\\N")
        stream.flush()
    return language_of


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
                customer_languages: list[str], agents: dict[str, list[int]],
                topics: dict[str, tuple[int, int, str]], department_names: dict[int, tuple[str, str]]) -> dict:
    topic_pick = Picker(rng, list(TOPIC_WEIGHTS.items()))
    channel_pick = Picker(rng, CHANNELS)
    priority_pick = Picker(rng, PRIORITIES)
    score_pick = Picker(rng, SCORES)
    language_pick = Picker(rng, LANGUAGES)
    agent_names = {}
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        agent_names[user.pk] = _escape(user.get_full_name() or user.username)
    tracking_pool = [f"94001118992238{rng.randrange(10**8):08d}" for _ in range(2000)]
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
    message_id = event_id = request_id = rating_id = 0
    span = now - start
    n_customers = len(customer_languages) - 1

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
            language = customer_languages[customer_id] if rng.random() < 0.9 else language_pick()
            channel = channel_pick()
            priority = priority_pick()
            urgent = priority == 4
            fr_t, res_t = (urgent_fr_target, urgent_res_target) if urgent else (fr_target, res_target)
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            sender = f"customer{customer_id}@example.com"
            tracking = rng.choice(tracking_pool) if slug in ("track_package", "missing_package", "claim_refund") else None
            subject = _escape(rng.choice(SUBJECTS[language][slug]).format(n=rng.randint(2, 14)))
            body = _escape(rng.choice(BODIES[language]).format(
                d=datetime.fromtimestamp(created - 5 * DAY, timezone.utc).date().isoformat(),
                t=tracking or "-", name=name))
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
                      "", _escape(json.dumps([tracking] if tracking else [])),
                      "", "\\N", ts(fr_due_initial), ts(first_response), ts(created), ts(updated),
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
            entities = _escape(json.dumps({"tracking_numbers": [tracking]})) if tracking else "{}"
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
            if first_response is not None:
                message_id += 1
                reply_message = message_id
                messages.add(str(message_id), "reply", "email", "", "Re: " + subject,
                             _escape(REPLIES[language].format(name=name)), f"<{case_id}.r@desk.example>",
                             ts(first_response), str(replier), str(case_id), "", "\\N")
            follow_up = None
            if rng.random() < 0.3:
                follow_up_at = created + fr_delay * rng.random()
                if follow_up_at < now:
                    message_id += 1
                    follow_up = (message_id, follow_up_at)
                    messages.add(str(message_id), "customer", channel, sender, "Re: " + subject,
                                 _escape(FOLLOW_UP.format(name=name)), "", ts(follow_up_at), "\\N",
                                 str(case_id), "", "\\N")

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
        for stream in (cases, clocks, triages, messages, events, requests, ratings):
            stream.flush()
        log("  COPY streams sent; waiting for the server to finish them")
        rows = {stream.table: stream.rows for stream in (cases, clocks, triages, messages, events, requests, ratings)}
    # ExitStack closed: every COPY ended and every connection committed.
    return {"rows": rows, **counts}


def set_sequences(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for table in ("cases_customer", "cases_case", "cases_message", "cases_caseevent",
                      "triage_casetriage", "sla_ratingrequest", "sla_caserating"):
            connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def vacuum_analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


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
    customer_languages = write_customers(args.db_url, rng, customers, start - 365 * DAY)
    log(f"COPY {args.cases:,} cases with clocks, triage, messages, events, ratings")
    counts = write_cases(args.db_url, rng, args, start=start, now=now, customer_languages=customer_languages,
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

    import psycopg

    with psycopg.connect(args.db_url) as connection:
        size = connection.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    result = {"db_url": args.db_url, "cases": args.cases, "customers": customers, "days": args.days,
              "seed": args.seed, "timings": timings, "rollup_rows": rollup_rows, "database_size": size,
              **counts}
    log(f"done in {timings['total_s']:.0f} s ({timings}); {counts['active']:,} open cases "
        f"({100 * counts['active'] / args.cases:.1f} %), database {size}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
