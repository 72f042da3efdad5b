"""What every worker does beside running jobs, on a thread of its own every TASKS_HEARTBEAT_SECONDS.

* It says it is alive (``Worker.seen_at``).
* It runs again the jobs that a worker no longer seen (killed, out of memory,
  its machine gone) was running: the job row goes back to the queue, so no
  work is lost; jobs are idempotent, so work done twice does no harm. A job
  that lost its worker ``MAX_WORKER_LOSSES`` times (one that kills its own
  worker) fails instead, with ``WorkerLost``.
* It enqueues the periodic jobs whose time has come, once across all workers.
"""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import PeriodicRun, Worker
from .queue import PERIODIC, WorkerLost

logger = logging.getLogger(__name__)

MAX_WORKER_LOSSES = 3
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)


def beat(worker_id):
    now = timezone.now()
    Worker.objects.update_or_create(
        worker_id=worker_id, defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "seen_at": now}
    )
    Worker.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()


def recover_lost_jobs():
    """Put back in the queue (or fail) the running jobs whose worker is no longer seen; returns how many."""
    alive = set(Worker.objects.alive(settings.TASKS_WORKER_TIMEOUT).values_list("worker_id", flat=True))
    recovered = 0
    for result in DBTaskResult.objects.running().only("id", "started_at", "worker_ids"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        losses = len(result.worker_ids)
        if losses >= MAX_WORKER_LOSSES:
            result = DBTaskResult.objects.get(pk=result.pk)
            result.set_failed(WorkerLost(f"The worker running this job stopped {losses} times; not tried again."))
            logger.error("Job %s failed: its worker stopped %d times", result.pk, losses)
        elif DBTaskResult.objects.filter(pk=result.pk, status="RUNNING", started_at=result.started_at).update(
            status="READY", started_at=None
        ):
            logger.warning("Job %s lost its worker %s; queued again", result.pk, result.worker_ids[-1:])
        recovered += 1
    return recovered


def enqueue_periodic(now=None):
    """Enqueue each periodic job whose period has begun since it was last enqueued; returns their names."""
    moment = int((now or timezone.now()).timestamp())
    enqueued = []
    for name, (the_task, every) in PERIODIC.items():
        seconds = every() if callable(every) else every
        if seconds and PeriodicRun.claim(name, moment // seconds):
            the_task.enqueue()
            enqueued.append(name)
    return enqueued


class Housekeeper(threading.Thread):
    def __init__(self, worker_id, database_queue=True):
        super().__init__(name="jobs-housekeeping", daemon=True)
        self.worker_id = worker_id
        self.database_queue = database_queue
        self.stopped = threading.Event()

    def tick(self):
        close_old_connections()
        beat(self.worker_id)
        if self.database_queue:
            recover_lost_jobs()
        enqueue_periodic()

    def run(self):
        try:
            while not self.stopped.wait(settings.TASKS_HEARTBEAT_SECONDS):
                try:
                    self.tick()
                except Exception:
                    logger.exception("Worker housekeeping failed; trying again at the next beat")
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        if self.is_alive():
            self.join(10)  # a beat under way would bring the row back
        Worker.objects.filter(worker_id=self.worker_id).delete()
