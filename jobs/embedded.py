"""The worker gunicorn runs beside itself (newsdesk/gunicorn.py), so that one command serves the site.

The gunicorn master starts ``manage.py run_worker`` once it is ready, starts it
again if it ever exits (after a pause that grows while it keeps failing), and
stops it when gunicorn stops: SIGTERM, so the running job finishes, then
SIGKILL after GRACE seconds (the job then runs again on the next start).
Should the master itself be killed, the kernel sends the worker SIGTERM
(Linux's parent-death signal), so no orphan is left holding jobs.

This module is imported by gunicorn's master before Django is set up: it uses
nothing of Django.
"""

import contextlib
import ctypes
import logging
import signal
import subprocess
import sys
import threading
from pathlib import Path

GRACE = 30
PR_SET_PDEATHSIG = 1
MANAGE = Path(__file__).resolve().parent.parent / "manage.py"

logger = logging.getLogger("gunicorn.error")


def _die_with_parent():
    # Not on Linux: gunicorn's on_exit still stops the worker.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class EmbeddedWorker:
    def __init__(self, command=None):
        self.command = command or [sys.executable, str(MANAGE), "run_worker"]
        self.process = None
        self.stopping = threading.Event()
        self.supervisor = None

    def start(self):
        self.supervisor = threading.Thread(target=self._supervise, name="embedded-worker", daemon=True)
        self.supervisor.start()

    def _supervise(self):
        pause = 1
        while not self.stopping.is_set():
            self.process = subprocess.Popen(self.command, preexec_fn=_die_with_parent)
            logger.info("Started the job worker (pid %s)", self.process.pid)
            code = self.process.wait()
            if self.stopping.is_set():
                return
            logger.error("The job worker exited with %s; starting it again in %d s", code, pause)
            self.stopping.wait(pause)
            pause = min(pause * 2, 60)

    def stop(self):
        self.stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
