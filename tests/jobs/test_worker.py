"""The worker as run in production: real ``manage.py run_worker`` processes on the database queue."""

import os
import signal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.housekeeping import enqueue_periodic
from jobs.models import PeriodicRun, Worker
from tests.jobs.held import flaky, held
from tests.workers import finished, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_worker_killed_mid_job_loses_nothing_and_the_job_finishes_once(worker, tmp_path):
    result = held.enqueue(str(tmp_path))
    first = worker.start()
    wait_for(lambda: (tmp_path / "started").exists(), what="the job to start")
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)

    worker.start()  # sees the dead worker's job once its heartbeat is older than TASKS_WORKER_TIMEOUT
    wait_for(lambda: len((tmp_path / "started").read_text().split()) == 2, what="the job to start again")
    (tmp_path / "go").touch()
    (done,) = finished(held.module_path)
    assert done.status == "SUCCESSFUL" and str(done.pk) == result.id
    assert (tmp_path / "done").read_text() == "done\n"
    assert len(done.worker_ids) == 2  # the killed worker, then the one that finished it


def test_a_failing_job_is_retried_with_backoff_then_reported_in_the_admin(worker, tmp_path, client):
    flaky.enqueue(str(tmp_path), failures=5)
    worker.start()
    attempts = finished(flaky.module_path, count=3)
    assert [r.status for r in attempts] == ["FAILED"] * 3
    assert [r.exception_class_path for r in attempts] == ["jobs.queue.RetryScheduled"] * 2 + [
        "builtins.ConnectionError"
    ]
    assert "mail server down" in attempts[0].traceback  # the cause, chained
    assert attempts[1].run_after > attempts[0].finished_at  # the backoff
    assert len((tmp_path / "tries").read_text()) == 3

    User.objects.create_superuser("boss", password="x")
    staff = Client()
    staff.force_login(User.objects.get(username="boss"))
    listing = staff.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"), {"outcome": "failed"})
    html = listing.content.decode()
    assert listing.status_code == 200
    assert html.count("ConnectionError: mail server down") == 1
    assert "Attempt 1 of 3 failed" not in html


def test_a_job_that_recovers_succeeds_on_a_later_attempt(worker, tmp_path):
    flaky.enqueue(str(tmp_path), failures=1)
    worker.start()
    first, second = finished(flaky.module_path, count=2)
    assert (first.status, second.status) == ("FAILED", "SUCCESSFUL")
    assert second.return_value == "sent"


def test_periodic_jobs_are_enqueued_once_per_period_whatever_the_number_of_workers(worker):
    first = enqueue_periodic()
    assert "articles.tasks.flush_most_read" in first and "comments.tasks.send_emails" in first
    assert enqueue_periodic() == []  # a second worker in the same period
    assert DBTaskResult.objects.filter(task_path="articles.tasks.flush_most_read").count() == 1
    assert PeriodicRun.objects.filter(name="articles.tasks.flush_most_read").exists()


def test_a_stopped_worker_says_goodbye(worker):
    process = worker.start()
    wait_for(lambda: Worker.objects.filter(pid=process.pid).exists(), what="the worker's heartbeat")
    process.send_signal(signal.SIGTERM)
    assert process.wait(15) == 0
    assert not Worker.objects.filter(pid=process.pid).exists()
