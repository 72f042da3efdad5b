"""The job queue on Redis, for scale-out: django-tasks-rq's backend, with retries RQ carries out itself.

RQ retries a job that raised, and also one whose worker died mid-job (it
notices when the worker's heartbeat expires), as long as the job has
retries left. So on Redis a job gets its retries from RQ, with the same
backoff as on the database queue, instead of enqueueing its next attempt.
"""

import json

import django_rq
from django_tasks_rq import RQBackend as BaseRQBackend

from .queue import backoff


class RQBackend(BaseRQBackend):
    retries_natively = True

    def enqueue(self, task, args, kwargs):
        result = super().enqueue(task, args, kwargs)
        attempts = getattr(task.func, "attempts", 1)
        if attempts > 1:
            # Fields of the job's hash only: a worker may already be running it.
            django_rq.get_connection(task.queue_name).hset(
                f"rq:job:{result.id}",
                mapping={
                    "retries_left": attempts - 1,
                    "retry_intervals": json.dumps([round(backoff(n)) for n in range(1, attempts)]),
                },
            )
        return result
