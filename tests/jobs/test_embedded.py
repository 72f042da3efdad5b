"""The README's serve command: gunicorn starts a job worker beside itself, and stopping gunicorn stops it."""

import signal
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from jobs.models import Worker
from tests.jobs.held import flaky
from tests.workers import environment, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(log_dir):
    env = environment(GUNICORN_BIND=f"127.0.0.1:{free_port()}", GUNICORN_WORKERS="1", GUNICORN_ACCESSLOG="")
    command = [sys.executable, "-m", "gunicorn", "-c", "newsdesk/gunicorn.py", "newsdesk.wsgi"]
    with (log_dir / "gunicorn.log").open("w") as log:
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def is_running(pid):
    return subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode == 0


def test_gunicorn_runs_the_worker_and_takes_it_down_with_it(worker, tmp_path):
    flaky.enqueue(str(tmp_path), failures=0)
    server = gunicorn(tmp_path)
    try:
        wait_for(DBTaskResult.objects.successful().exists, what="the embedded worker to run the job")
        (seen,) = Worker.objects.all()
        server.send_signal(signal.SIGTERM)
        assert server.wait(40) == 0
    finally:
        if server.poll() is None:
            server.kill()
    wait_for(lambda: not Worker.objects.exists(), seconds=5, what="the worker to stop")
    assert not is_running(seen.pid)


def test_a_killed_gunicorn_leaves_no_worker_behind(worker, tmp_path):
    server = gunicorn(tmp_path)
    try:
        seen = wait_for(Worker.objects.first, what="the embedded worker")
    finally:
        server.kill()
        server.wait(10)
    wait_for(lambda: not is_running(seen.pid), seconds=20, what="the orphaned worker to stop")
