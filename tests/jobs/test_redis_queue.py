"""The queue on Redis (TASKS_BROKER_URL): RQ workers run the same jobs, with RQ carrying out the retries."""

import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from rq.job import Job

from tests.workers import environment, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Not the cache's database: tests empty that one (Django's RedisCache.clear() is FLUSHDB).
BROKER = "redis://127.0.0.1:6379/3"


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {BROKER}; .ci/run starts it")
    return {"TASKS_BROKER_URL": BROKER}


def test_a_job_on_redis_is_retried_by_rq_and_then_succeeds(worker, broker, tmp_path):
    enqueue = f"from tests.jobs.held import flaky; print(flaky.enqueue({str(tmp_path)!r}, failures=1).id)"
    enqueued = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", enqueue],
        cwd=settings.BASE_DIR,
        env=environment(**broker),
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    worker.start(**broker)
    tries = tmp_path / "tries"
    wait_for(lambda: tries.exists() and len(tries.read_text()) == 2, what="RQ to run the job again")
    job = Job.fetch(enqueued.stdout.split()[-1], connection=redis.Redis.from_url(BROKER))
    wait_for(lambda: job.get_status(refresh=True) == "finished", what="the job to finish")
    assert job.retries_left == 1  # of the two retries flaky allows, RQ used one
    assert not DBTaskResult.objects.exists()  # the job lived in Redis
