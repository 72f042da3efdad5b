"""Real worker processes (``manage.py run_worker``) against the test database, for the tests of jobs."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

# Fast beats and short timeouts, so that a test sees a lost worker within a second or two.
FAST = {"TASKS_HEARTBEAT_SECONDS": "0.2", "TASKS_WORKER_TIMEOUT": "1.5", "TASKS_RETRY_BACKOFF": "0.2"}


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(**extra):
    return {
        **os.environ,
        **FAST,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


class Workers:
    """Worker processes, each logging to a file of its own (a pipe nobody reads would fill and block it)."""

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.processes = []

    def start(self, **env):
        command = [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay"]
        with (self.log_dir / f"worker-{len(self.processes)}.log").open("w") as log:
            process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=environment(**env), stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return process

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(predicate, seconds=60, what="the worker"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"Timed out waiting for {what}")


def finished(task_path, count=1, seconds=30):
    """Wait until ``count`` results of the task have finished (successfully or not); return them, oldest first."""
    results = DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at")

    def done():
        rows = list(results.finished())
        return (
            rows if len(rows) >= count and not results.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists() else None
        )

    return wait_for(done, seconds, f"{count} results of {task_path}")
