import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import AlsoRead, Article, Section, SlugRedirect

pytestmark = pytest.mark.django_db

NOW = timezone.now


def hours(n):
    return datetime.timedelta(hours=n)


def test_published_shows_only_live_stories(make_article):
    live = make_article(status=Article.Status.PUBLISHED, publish_at=NOW() - hours(1))
    due = make_article(status=Article.Status.SCHEDULED, publish_at=NOW() - hours(1))
    future = make_article(status=Article.Status.SCHEDULED, publish_at=NOW() + hours(1))
    future_published = make_article(status=Article.Status.PUBLISHED, publish_at=NOW() + hours(1))
    draft = make_article(status=Article.Status.DRAFT)
    review = make_article(status=Article.Status.IN_REVIEW)
    withdrawn = make_article(status=Article.Status.WITHDRAWN, publish_at=NOW() - hours(2))

    assert set(Article.objects.published()) == {live, due}
    assert set(Article.objects.upcoming()) == {future, future_published}
    assert set(Article.objects.filter(status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW])) == {draft, review}
    assert set(Article.objects.filter(status=Article.Status.WITHDRAWN)) == {withdrawn}


def test_scheduled_story_goes_live_when_its_time_comes(make_article):
    story = make_article(status=Article.Status.SCHEDULED, publish_at=NOW() + datetime.timedelta(seconds=2))
    assert not Article.objects.published().filter(pk=story.pk).exists()
    Article.objects.filter(pk=story.pk).update(publish_at=NOW() - datetime.timedelta(seconds=1))
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_publishing_without_a_time_stamps_now(make_article):
    story = make_article(status=Article.Status.DRAFT)
    assert story.publish_at is None
    story.status = Article.Status.PUBLISHED
    story.save()
    assert story.publish_at is not None
    assert abs((story.publish_at - NOW()).total_seconds()) < 5


def test_scheduling_in_the_past_is_refused(make_article):
    story = make_article(status=Article.Status.DRAFT)
    story.status = Article.Status.SCHEDULED
    story.publish_at = NOW() - hours(1)
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "publish_at" in error.value.message_dict
    story.publish_at = None
    with pytest.raises(ValidationError):
        story.full_clean()


def test_editing_text_after_publishing_marks_updated(make_article):
    story = Article.objects.get(pk=make_article().pk)
    assert not story.was_updated
    story.comments_open = False
    story.save()
    assert Article.objects.get(pk=story.pk).updated_at is None

    story = Article.objects.get(pk=story.pk)
    story.body = story.body + "<p>New information.</p>"
    story.save()
    assert Article.objects.get(pk=story.pk).was_updated


def test_editing_a_draft_is_not_an_update(make_article):
    story = Article.objects.get(pk=make_article(status=Article.Status.DRAFT).pk)
    story.headline = "A better headline"
    story.save()
    assert Article.objects.get(pk=story.pk).updated_at is None


def test_body_is_sanitized_on_save(make_article):
    story = make_article(body='<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x()">x</a></p>')
    stored = Article.objects.get(pk=story.pk).body
    assert "onclick" not in stored
    assert "script" not in stored
    assert "alert" not in stored
    assert "javascript" not in stored
    assert stored.startswith("<p>Hi ")


def test_slug_change_of_live_story_records_old_address(make_article):
    story = Article.objects.get(pk=make_article(slug="old-slug").pk)
    old_url = story.get_absolute_url()
    story.slug = "new-slug"
    story.save()
    redirect = SlugRedirect.objects.get(old_path=old_url)
    assert redirect.article == story


def test_slug_change_of_draft_records_nothing(make_article):
    story = Article.objects.get(pk=make_article(slug="draft-slug", status=Article.Status.DRAFT).pk)
    story.slug = "other"
    story.save()
    assert not SlugRedirect.objects.exists()


def test_story_url_has_section_and_local_date(make_article, settings, section):
    settings.TIME_ZONE = "Asia/Karachi"
    timezone.deactivate()
    publish_at = datetime.datetime(2022, 2, 28, 20, 30, tzinfo=datetime.UTC)  # March 1 in Karachi
    story = make_article(slug="space", section=section, publish_at=publish_at)
    assert story.get_absolute_url() == "/world/2022/03/01/space/"


def test_reserved_section_slug_is_refused():
    section = Section(name="Search", slug="search")
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "slug" in error.value.message_dict


def test_also_read_cannot_point_to_itself(make_article):
    story = make_article()
    link = AlsoRead(article=story, target=story, after_paragraph=1)
    with pytest.raises(ValidationError):
        link.full_clean()


def test_body_blocks_place_also_read_after_paragraph(make_article):
    target = make_article(headline="Target story")
    other = make_article(headline="Second target")
    story = make_article(body="<p>One</p><h2>Sub</h2><p>Two</p><p>Three</p>")
    AlsoRead.objects.create(article=story, target=target, after_paragraph=2)
    AlsoRead.objects.create(article=story, target=other, after_paragraph=99)
    blocks = Article.objects.for_page().get(pk=story.pk).body_blocks()
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["html", "also_read", "html", "also_read"]
    assert blocks[0][1] == "<p>One</p><h2>Sub</h2><p>Two</p>"
    assert blocks[1][1].target == target
    assert blocks[2][1] == "<p>Three</p>"
    assert blocks[3][1].target == other


def test_body_blocks_skip_links_to_unpublished_stories(make_article):
    hidden = make_article(status=Article.Status.DRAFT)
    story = make_article()
    AlsoRead.objects.create(article=story, target=hidden, after_paragraph=1)
    assert [kind for kind, _ in story.body_blocks()] == ["html"]


def test_related_puts_editor_picks_first_and_skips_unpublished(make_article, make_tag, make_section):
    tag = make_tag()
    story = make_article(tags=[tag])
    pick = make_article(section=make_section(), publish_at=NOW() - hours(500))
    sharing = make_article(tags=[tag], section=make_section())
    make_article(tags=[tag], status=Article.Status.DRAFT)
    AlsoRead.objects.create(article=story, target=pick)
    related = Article.objects.for_page().get(pk=story.pk).related()
    assert related[0] == pick
    assert sharing in related
    assert story not in related
    assert all(item.is_live for item in related)


def test_top_per_section_limits_each_section(make_article, make_section):
    first, second = make_section(), make_section()
    for _ in range(5):
        make_article(section=first)
    make_article(section=second)
    rows = list(Article.objects.published().top_per_section(3))
    assert sum(1 for row in rows if row.section_id == first.pk) == 3
    assert sum(1 for row in rows if row.section_id == second.pk) == 1
