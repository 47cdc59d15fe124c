"""Rebuild the dashboards' daily rollups for the last N days (backfill after an import or an
upgrade; the worker keeps today and yesterday current on its own)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from postdesk.sla.stats import backlog_snapshot_take, desk_today, stats_rollup_day


class Command(BaseCommand):
    help = "Rebuild the SLA dashboard rollups for the last N days and take a backlog snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="how many days back (default 30)")

    def handle(self, *args, days: int, **options):
        today = desk_today()
        rows = 0
        for offset in range(max(days, 1)):
            rows += stats_rollup_day(day=today - timedelta(days=offset))
        backlog_snapshot_take()
        self.stdout.write(f"{rows} rollup rows written for {max(days, 1)} days; backlog snapshot taken")
