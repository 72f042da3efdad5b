import os
import signal
import socket
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks import task_backends

from jobs.housekeeping import Housekeeper
from jobs.rq import RQBackend


class Command(BaseCommand):
    help = (
        "Run a background-job worker: django-tasks-db's db_worker on the database queue, or RQ's worker "
        "and scheduler on Redis (TASKS_BROKER_URL); plus heartbeats, recovery of the jobs of workers that "
        "died, and periodic jobs. Run as many as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1, help="Seconds between looks at an empty database queue."
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_true",
            help="Start at once (a random delay of up to a second keeps many workers from starting together).",
        )

    def handle(self, *args, interval, no_startup_delay, verbosity, **options):
        worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"
        on_redis = isinstance(task_backends["default"], RQBackend)
        # Stopped while starting: leave at once (the worker's own handlers take over before the first job).
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        housekeeper = Housekeeper(worker_id, database_queue=not on_redis)
        try:
            # A stop asked for during the first beat waits until it is written: an exit half-way through its
            # transaction would fail to remove the worker's row (and exit with an error). Held back here, the
            # signal is handled as soon as it is let through, before the worker starts.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            try:
                housekeeper.tick()
                housekeeper.start()
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            if on_redis:
                call_command(
                    "rqworker", "default", job_class="django_tasks_rq.Job", with_scheduler=True, name=worker_id
                )
            else:
                extra = ["--no-startup-delay"] if no_startup_delay else []
                call_command(
                    "db_worker",
                    "--no-reload",
                    "--interval",
                    str(interval),
                    "--worker-id",
                    worker_id,
                    *extra,
                    verbosity=verbosity,
                )
        finally:
            housekeeper.stop()
