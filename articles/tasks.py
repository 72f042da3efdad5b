"""Background jobs of stories: "Most read" flushes and the purge when a scheduled story goes live."""

import datetime

from django.conf import settings
from django.utils import timezone

from jobs.queue import enqueue_on_commit, job, periodic
from pagecache.invalidation import invalidate

from .models import Article
from .popularity import flush_reads


@periodic(every=lambda: settings.MOST_READ_FLUSH_SECONDS)
@job(attempts=1)
def flush_most_read():
    """Copy the cached read counters into ``ReadCount`` rows; the next period's run makes up for a failed one."""
    return {"story_hours": flush_reads()}


@job()
def go_live(article_id, publish_at):
    """At a scheduled story's time, make the pages that now show it fresh, at the edge too.

    Enqueued for the time the story had when it was scheduled: if it has been moved,
    withdrawn or deleted since, another job (or none) is due and this one does nothing.
    """
    stories = Article.objects.filter(pk=article_id)
    story = stories.only("status", "publish_at").first()
    if story is None or story.publish_at != datetime.datetime.fromisoformat(publish_at) or not story.is_live:
        return False
    # Its page and every list it now appears in; urgent: a copy from before the time must not be served.
    invalidate(Article.bulk_changed_tags(stories), urgent=True)
    return True


def schedule_go_live(story):
    """Enqueue ``go_live`` for a story scheduled ahead (from ``Article.save``)."""
    if not go_live.get_backend().supports_defer:
        return  # jobs run at once (the tests' immediate backend): nothing to wait for
    if story.status == Article.Status.SCHEDULED and story.publish_at and story.publish_at > timezone.now():
        enqueue_on_commit(go_live.using(run_after=story.publish_at), story.pk, story.publish_at.isoformat())
