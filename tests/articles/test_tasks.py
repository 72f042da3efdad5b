"""Story jobs through the database queue and a real worker: go-live purges and "Most read" flushes."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, ReadCount
from articles.popularity import record_read
from articles.tasks import flush_most_read, go_live
from jobs.housekeeping import enqueue_periodic
from pagecache.invalidation import version_key
from tests.workers import finished, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_scheduled_story_purges_the_pages_at_its_time(worker, make_article):
    story = make_article(status=Article.Status.DRAFT)
    story.schedule(timezone.now() + datetime.timedelta(seconds=2))
    (waiting,) = DBTaskResult.objects.filter(task_path=go_live.module_path)
    assert waiting.run_after == story.publish_at
    home = version_key("home")
    before = cache.get(home)

    worker.start()
    (result,) = finished(go_live.module_path)
    assert result.return_value is True and result.started_at >= story.publish_at
    assert cache.get(home) != before  # the home page (and the story's other lists) purged


def test_a_rescheduled_story_leaves_its_old_job_with_nothing_to_do(worker, make_article):
    story = make_article(status=Article.Status.DRAFT)
    story.schedule(timezone.now() + datetime.timedelta(seconds=1))
    story.schedule(timezone.now() + datetime.timedelta(days=1))
    worker.start()
    done = DBTaskResult.objects.filter(task_path=go_live.module_path).successful()
    result = wait_for(done.first, what="the first go-live job")
    assert result.return_value is False
    assert DBTaskResult.objects.filter(task_path=go_live.module_path, status="READY").count() == 1


def test_workers_flush_most_read_without_cron(worker, make_article):
    story = make_article()
    record_read(story.pk, "203.0.113.1")
    record_read(story.pk, "203.0.113.2")
    assert "articles.tasks.flush_most_read" in enqueue_periodic()
    worker.start()
    (result,) = finished(flush_most_read.module_path)
    assert result.return_value == {"story_hours": 1}
    assert ReadCount.objects.get(article=story).reads == 2
