import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerQuerySet(models.QuerySet):
    def alive(self, timeout):
        return self.filter(seen_at__gte=timezone.now() - datetime.timedelta(seconds=timeout))


class Worker(models.Model):
    """A running worker process, seen every few seconds: the jobs a worker no longer seen held are run again."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


class PeriodicRun(models.Model):
    """The last time slot a periodic job was enqueued for: across all workers it is enqueued once per slot."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slot = models.BigIntegerField(_("slot"), default=0)
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self):
        return self.name

    @classmethod
    def claim(cls, name, slot):
        """True for the one caller that moves ``name`` on to ``slot``; a single conditional UPDATE decides."""
        cls.objects.get_or_create(name=name)
        return bool(cls.objects.filter(name=name, slot__lt=slot).update(slot=slot, enqueued_at=timezone.now()))
