"""The ledgers that make background jobs run once, whatever the number of workers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobClaim(models.Model):
    """One execution of one job (a Huey task id and its attempt), claimed by inserting this row:
    the unique key lets exactly one worker in, however many see the job."""

    key = models.CharField(_("job"), max_length=200, unique=True)
    task_name = models.CharField(_("task"), max_length=200)
    worker = models.CharField(_("worker"), max_length=200)
    claimed_at = models.DateTimeField(_("claimed at"), db_index=True)

    class Meta:
        verbose_name = _("job claim")
        verbose_name_plural = _("job claims")

    def __str__(self) -> str:
        return self.key


class PeriodicRun(models.Model):
    """One run of a periodic job for one period (the minute its crontab matched)."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("Finished")
        ERROR = "error", _("Failed")

    task_name = models.CharField(_("task"), max_length=200)
    period_start = models.DateTimeField(_("period start"))
    worker = models.CharField(_("worker"), max_length=200)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices,
                               default=Outcome.RUNNING)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        constraints = [models.UniqueConstraint(fields=["task_name", "period_start"],
                                               name="uniq_periodic_run")]
        indexes = [models.Index(fields=["outcome", "task_name", "period_start"],
                                name="periodic_run_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.task_name} @ {self.period_start:%Y-%m-%d %H:%M}"
