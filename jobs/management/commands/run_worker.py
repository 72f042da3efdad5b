import os
import signal
import socket
import sys

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from jobs.housekeeping import Housekeeper


class Command(db_worker.Command):
    help = (
        "Run a background-job worker on the database queue: django-tasks-db's db_worker, plus heartbeats, "
        "recovery of the jobs of workers that died, and periodic jobs. Run as many as you like."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False, worker_id=None)

    def handle(self, *args, worker_id=None, **options):
        worker_id = worker_id or f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"
        # Stopped while starting: leave at once (db_worker's own handlers take over before the first job).
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        housekeeper = Housekeeper(worker_id)
        try:
            housekeeper.tick()
            housekeeper.start()
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            housekeeper.stop()
