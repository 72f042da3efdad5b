"""Background jobs on Django's task API (``django_tasks``, ``django.tasks`` from Django 6.0).

The API has no retries and no periodic jobs; this module adds both, small:

* ``@job(attempts=N)``: a task whose failure enqueues the next attempt after an
  exponential backoff (TASKS_RETRY_BACKOFF × 2ⁿ⁻¹, at most an hour). An attempt
  that is retried ends as a failed result whose error is ``RetryScheduled``
  (the original traceback chained); the last one ends with the job's own error,
  which is what the admin lists as *failed for good*.
* ``@periodic(every=seconds)``: a job the worker enqueues once per period,
  whatever the number of workers (``PeriodicRun.claim``).
* ``enqueue_on_commit()``: with the database queue the job row is written in
  the current transaction, so it exists exactly when the change that calls for
  it committed; with a broker it is sent once the transaction commits.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db import DatabaseBackend

try:
    from django.tasks import task
except ImportError:  # Django < 6.0: the backport
    from django_tasks import task

logger = logging.getLogger(__name__)

MAX_BACKOFF = 3600
PERIODIC = {}


class RetryScheduled(Exception):
    """This attempt failed and the next one is enqueued; the cause is chained."""


class WorkerLost(Exception):
    """The worker running this job stopped (killed, out of memory, machine gone) too many times."""


def backoff(attempt):
    """Seconds before attempt ``attempt + 1``."""
    return min(settings.TASKS_RETRY_BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)


def job(*, attempts=5, **task_options):
    """Decorate a function as a background job that is tried up to ``attempts`` times.

    The job must be idempotent: a retry, or a run again after its worker died,
    does the same thing twice.
    """

    def decorate(function):
        @functools.wraps(function)
        def run(*args, attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                backend = the_task.get_backend()
                if attempt >= attempts or not backend.supports_defer or getattr(backend, "retries_natively", False):
                    raise
                delay = backoff(attempt)
                run_after = timezone.now() + datetime.timedelta(seconds=delay)
                the_task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
                logger.warning(
                    "%s failed (attempt %d of %d); trying again in %d s", the_task.name, attempt, attempts, delay
                )
                raise RetryScheduled(
                    f"Attempt {attempt} of {attempts} failed ({error!r}); attempt {attempt + 1} at {run_after:%H:%M:%S}"
                ) from error

        run.attempts = attempts
        the_task = task(**task_options)(run)
        return the_task

    return decorate


def periodic(every):
    """Register a job (``@periodic(every=…)`` above ``@job``) that workers enqueue every ``every`` seconds.

    ``every`` may be a callable returning the seconds, to read a setting late.
    """

    def register(the_task):
        PERIODIC[the_task.module_path] = (the_task, every)
        return the_task

    return register


def is_database_queue(the_task):
    return isinstance(the_task.get_backend(), DatabaseBackend)


def enqueue_on_commit(the_task, *args, using=None, **kwargs):
    """Enqueue ``the_task`` for the change being made: atomically with it on the database queue, else on commit."""
    if is_database_queue(the_task):
        return the_task.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: the_task.enqueue(*args, **kwargs), using=using)
    return None
