"""``postdesk demo``: demo agents and a few cases, then how to sign in. Safe to run again."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from postdesk.accounts.models import AgentProfile
from postdesk.cases import defaults
from postdesk.cases.models import Case, Department
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import ingest

AGENTS = [
    # username, first name, role, departments
    ("supervisor", "Sam", AgentProfile.Role.SUPERVISOR, []),
    ("alex", "Alex", AgentProfile.Role.AGENT, ["tracking", "missing-mail"]),
    ("bea", "Bea", AgentProfile.Role.AGENT, ["claims", "delivery"]),
    ("carlos", "Carlos", AgentProfile.Role.AGENT, ["consumer-affairs", "delivery-services", "online"]),
]

CASES = [
    ("demo-1", "track_package", "Maria Lopez", "maria@example.com", "es",
     "Mi paquete no se mueve desde hace cinco días.", ("9400111899223818218407",)),
    ("demo-2", "missing_package", "Jonas Weber", "jonas@example.de", "de",
     "Mein Paket aus Berlin ist nie angekommen. Es wurde am 3. September verschickt.", ()),
    ("demo-3", "claim_refund", "Pat Smith", "pat@example.com", "en",
     "The vase arrived broken. I had insurance and want to file a claim.", ("70131710000012912087",)),
    ("demo-4", "general", "Lee Chen", "lee@example.com", "en",
     "Can I send a parcel to Canada with lithium batteries?", ()),
]


class Command(BaseCommand):
    help = "Load demo departments, topics, agents and cases, and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("POSTDESK_DEMO_PASSWORD", "postdesk-demo"))

    def handle(self, *args, password: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        defaults.install()
        User = get_user_model()
        for username, first_name, role, departments in AGENTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "email": f"{username}@postdesk.test",
                          "is_staff": role == AgentProfile.Role.SUPERVISOR,
                          "is_superuser": role == AgentProfile.Role.SUPERVISOR},
            )
            if created:
                user.set_password(password)
                user.save()
            profile, _ = AgentProfile.objects.get_or_create(user=user, defaults={"role": role})
            profile.departments.set(Department.objects.filter(slug__in=departments))
        for external_id, topic, name, email, language, body, tracking in CASES:
            ingest(InboundMessage(
                channel="web", external_id=external_id, sender_email=email, sender_name=name,
                body=body, topic_slug=topic, language=language, tracking_numbers=tracking,
            ))
        base = settings.POSTDESK_BASE_URL
        self.stdout.write(self.style.SUCCESS("Postdesk demo data is ready."))
        self.stdout.write(f"  Contact hub:   {base}/")
        self.stdout.write(f"  Agent console: {base}/console/  (sign in below)")
        self.stdout.write(f"  Admin:         {base}/admin/")
        if settings.POSTDESK_DEV_MAILBOX_VIEW:
            self.stdout.write(f"  Sent email:    {base}/dev/mailbox/")
        self.stdout.write(f"  Demo cases:    {Case.objects.count()} in the database")
        self.stdout.write("Sign in with one of these (password for all: %s):" % password)
        for username, _first, role, departments in AGENTS:
            where = ", ".join(departments) if departments else "all departments, admin"
            self.stdout.write(f"  {username:<11} {role:<10} {where}")
