"""What readers see under a story: the thread, the count, the notice and the form."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, CommentSettings, StoryModeration
from comments.threads import MAX_DEPTH

pytestmark = pytest.mark.django_db

NOTICE = "Comments are moderated and generally will be posted if they are on-topic and not abusive"


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<section class="comments"') :]


def comment_ids(html):
    return [int(match) for match in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', html)]


def header_of(html, comment):
    start = html.index(f'id="comment-{comment.pk}"')
    return html[start : html.index("</header>", start)]


def test_comments_come_last_with_notice_faq_link_and_count(client, story, make_article, make_comment):
    make_article(section=story.section)
    make_comment(story)
    make_comment(story)
    make_comment(story, status=Comment.Status.PENDING)
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert html.index('<div class="story__body">') < html.index('class="related"') < html.index('id="comments"')
    comments = page(client, story)
    assert NOTICE in comments
    assert '<a href="/comments-faq/">Comments FAQ</a>' in comments
    assert 'Comments <span class="comments__count">(2)</span>' in comments


def test_only_approved_comments_oldest_first_and_email_never_shown(client, story, make_comment):
    first = make_comment(story, body="First in time.")
    second = make_comment(story, body="Second in time.")
    hidden = [
        make_comment(story, body=f"Hidden {status}", status=status)
        for status in (Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM)
    ]
    Comment.objects.filter(pk=first.pk).update(created=second.created + datetime.timedelta(minutes=5))
    html = page(client, story)
    assert comment_ids(html) == [second.pk, first.pk]
    for comment in hidden:
        assert comment.body not in html
    assert "@example.org" not in html


def test_thread_renders_replies_nested_with_replying_to_link(client, story, make_comment):
    root = make_comment(story, author_name="Alice", body="Root comment.")
    reply = make_comment(story, author_name="Bob", body="Bob answers.", parent=root)
    other = make_comment(story, author_name="Carol", body="Separate thread.")
    html = page(client, story)
    assert f'Replying to <a href="#comment-{root.pk}">Alice</a>' in header_of(html, reply)
    # The reply sits in a nested list inside the root's list item, before the next thread.
    root_item = html[html.index(f'id="comment-{root.pk}"') : html.index(f'id="comment-{other.pk}"')]
    assert '<ol class="comment-thread comment-thread--replies">' in root_item
    assert f'id="comment-{reply.pk}"' in root_item
    assert "Replying to" not in header_of(html, other)


def test_deep_threads_stop_nesting_but_keep_order_and_context(client, story, make_comment):
    chain = [make_comment(story, author_name="Level 1")]
    for level in range(2, 9):
        chain.append(make_comment(story, author_name=f"Level {level}", parent=chain[-1]))
    html = page(client, story)
    assert comment_ids(html) == [comment.pk for comment in chain]
    assert html.count("comment-thread--replies") == MAX_DEPTH - 1
    for parent, reply in zip(chain, chain[1:], strict=False):
        assert f'Replying to <a href="#comment-{parent.pk}">{parent.author_name}</a>' in header_of(html, reply)


def test_reply_to_a_removed_comment_stands_at_top_level(client, story, make_comment):
    parent = make_comment(story, status=Comment.Status.REJECTED)
    orphan = make_comment(story, parent=parent, body="Still here.")
    html = page(client, story)
    assert comment_ids(html) == [orphan.pk]
    assert "Replying to a comment that is no longer shown" in html


def test_body_is_escaped_plain_text_with_line_breaks_and_no_live_links(client, story, make_comment):
    make_comment(
        story, body="<script>alert(1)</script> <b>bold</b>\nsecond line\n\nnew paragraph https://example.com/x"
    )
    html = page(client, story)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;<br>second line</p>" in html
    assert "<p>new paragraph https://example.com/x</p>" in html
    assert 'href="https://example.com/x"' not in html


def test_reply_links_work_without_javascript(client, story, make_comment):
    comment = make_comment(story, author_name="Alice")
    html = page(client, story)
    assert f'href="?reply_to={comment.pk}#comment-form"' in html
    assert '<input type="hidden" name="parent" id="id_parent">' in html
    replying = page(client, story, f"?reply_to={comment.pk}")
    assert f'<input type="hidden" name="parent" value="{comment.pk}" id="id_parent">' in replying
    assert "Reply to Alice</h3>" in replying
    assert f'Replying to <a href="#comment-{comment.pk}">Alice</a>' in replying
    assert "js/comments.js" in replying


@pytest.mark.parametrize("reply_to", ["abc", "999999", "-1", "other", "pending"])
def test_bad_reply_to_values_are_ignored(client, story, make_article, make_comment, reply_to):
    values = {
        "other": lambda: make_comment(make_article()).pk,
        "pending": lambda: make_comment(story, status=Comment.Status.PENDING).pk,
    }
    value = values[reply_to]() if reply_to in values else reply_to
    html = page(client, story, f"?reply_to={value}")
    assert '<input type="hidden" name="parent" id="id_parent">' in html
    assert "Add a comment</h3>" in html


def test_comments_share_one_report_form_without_a_token_on_the_shared_page(client, story, make_comment):
    comments = [make_comment(story, author_name=f"Reader {n}") for n in range(3)]
    html = page(client, story)
    for comment in comments:
        article = html[
            html.index(f'id="comment-{comment.pk}"') : html.index(
                "</article>", html.index(f'id="comment-{comment.pk}"')
            )
        ]
        assert f'<a class="comment__flag" href="/comments/{comment.pk}/flag/">Report<span' in article
        assert f"the comment by {comment.author_name}</span>" in article
        assert "<select" not in article and "<form" not in article
    assert html.count('<select name="reason"') == 1
    dialog = html[html.index('<dialog class="flag-dialog" id="flag-dialog"') : html.index("</dialog>")]
    assert '<select name="reason" id="flag-reason" required><option value="">Choose a reason</option>' in dialog
    assert '<option value="abuse">Abusive or hateful</option>' in dialog
    assert 'data-about="Reporting the comment by {name}."' in html
    assert 'name="csrfmiddlewaretoken"' not in html
    assert 'data-token-url="/comments/token/"' in html and "js/comments.js" in html


def test_no_report_form_without_comments(client, story):
    html = page(client, story)
    assert "flag-dialog" not in html and "<select" not in html


def test_a_reader_with_a_session_gets_tokens_in_the_forms(client, story, make_comment, post_comment):
    comment = make_comment(story)
    post_comment(story)
    html = page(client, story)
    form = html[html.index('<dialog class="flag-dialog"') :]
    assert 'name="csrfmiddlewaretoken"' in form[:600]
    assert f'href="/comments/{comment.pk}/flag/"' in html
    comment_form = html[html.index('id="comment-form"') :]
    assert 'name="csrfmiddlewaretoken"' in comment_form[:400]


def test_closed_story_shows_comments_but_no_form(client, make_article, make_comment):
    story = make_article(comments_open=False)
    make_comment(story, body="Said before closing.")
    html = page(client, story)
    assert "Said before closing." in html
    assert 'id="comment-form"' not in html and "?reply_to=" not in html
    assert "Comments are closed on this story." in html
    assert NOTICE in html


def test_comments_close_automatically_after_the_set_days(client, make_article):
    CommentSettings.objects.create(close_after_days=7)
    old = make_article(publish_at=timezone.now() - datetime.timedelta(days=8))
    recent = make_article(publish_at=timezone.now() - datetime.timedelta(days=6))
    assert "Comments close 7 days after a story is published" in page(client, old)
    assert 'id="comment-form"' not in page(client, old)
    assert 'id="comment-form"' in page(client, recent)


@pytest.mark.parametrize("page_cache", [0, 600], ids=["page cache off", "page cache on"])
def test_changed_comment_settings_show_on_the_next_render(
    client, make_article, settings, page_cache, django_capture_on_commit_callbacks
):
    """The settings are kept in the shared cache for story pages (CommentSettings.for_story_page): saving
    them starts a new page generation on commit, which the kept copy goes stale with."""
    settings.PAGE_CACHE_SECONDS = page_cache
    story = make_article(publish_at=timezone.now() - datetime.timedelta(days=8))
    assert 'id="comment-form"' in page(client, story)
    with django_capture_on_commit_callbacks(execute=True):
        CommentSettings.objects.create(close_after_days=7)
    html = page(client, story)
    assert 'id="comment-form"' not in html and "Comments close 7 days after a story is published" in html
    with django_capture_on_commit_callbacks(execute=True):
        kept = CommentSettings.load()
        kept.close_after_days = None
        kept.save()
    assert 'id="comment-form"' in page(client, story)


@pytest.mark.parametrize("page_cache", [0, 600], ids=["page cache off", "page cache on"])
def test_a_changed_story_moderation_mode_shows_on_the_next_render(
    client, make_article, settings, page_cache, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = page_cache
    story, other = make_article(), make_article()
    assert 'id="comment-form"' in page(client, story) and 'id="comment-form"' in page(client, other)
    with django_capture_on_commit_callbacks(execute=True):
        mode = StoryModeration.objects.create(article=story, mode=StoryModeration.Mode.CLOSED)
    assert "Comments are closed on this story." in page(client, story)
    assert 'id="comment-form"' in page(client, other)
    with django_capture_on_commit_callbacks(execute=True):
        mode.delete()
    assert 'id="comment-form"' in page(client, story)


def test_story_pages_read_the_comment_rules_from_the_database_when_the_cache_fails(
    client, make_article, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 0
    story = make_article(comments_open=True)
    CommentSettings.objects.create(close_after_days=7)
    StoryModeration.objects.create(article=story, mode=StoryModeration.Mode.CLOSED)

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    assert "Comments are closed on this story." in page(client, story)


def test_preview_of_an_unpublished_story_has_no_form(client, make_article, editor):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    html = page(client, draft)
    assert 'id="comment-form"' not in html


def test_story_page_queries_do_not_grow_with_comments(
    client, django_assert_max_num_queries, make_article, make_comment
):
    def build(threads, replies_each):
        story = make_article()
        for _ in range(threads):
            parent = make_comment(story)
            for _ in range(replies_each):
                parent = make_comment(story, parent=parent)
        return story

    small = build(1, 1)
    large = build(20, 9)  # 200 comments, in chains ten deep
    assert Comment.objects.filter(article=large).count() == 200
    with django_assert_max_num_queries(20) as small_queries:
        page(client, small)
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        html = page(client, large)
    assert len(comment_ids(html)) == 200
    assert "(200)" in html


def test_list_pages_show_approved_counts_in_constant_queries(
    client, django_assert_max_num_queries, make_article, make_comment, section
):
    stories = [make_article(section=section) for _ in range(6)]
    make_comment(stories[0])
    make_comment(stories[0])
    make_comment(stories[0], status=Comment.Status.PENDING)
    make_comment(stories[1])
    html = client.get("/world/").content.decode()
    assert f'<a class="card__comments" href="{stories[0].get_absolute_url()}#comments">2 comments</a>' in html
    assert f'<a class="card__comments" href="{stories[1].get_absolute_url()}#comments">1 comment</a>' in html
    assert html.count('class="card__comments"') == 2
    home = client.get("/").content.decode()
    assert "2 comments</a>" in home
    cache.clear()  # count the queries of rendering the page, not of serving it stored
    # With no placed story, the section's top stories are one query; its list one, and its cards' stories two.
    with django_assert_max_num_queries(9) as few:
        client.get("/world/")
    for story in [make_article(section=section) for _ in range(10)]:
        make_comment(story)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/world/").content.decode()
    assert html.count('class="card__comments"') == 12


def test_faq_page_states_the_policy_and_is_linked_from_every_page(client, story):
    CommentSettings.objects.create(close_after_days=14)
    response = client.get("/comments-faq/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Comments FAQ</h1>" in html
    assert NOTICE in html
    assert "14 days after a story is published" in html
    assert "at most 2 web addresses" in html
    assert '<a href="/comments-faq/">Comments FAQ</a>' in client.get("/").content.decode()


def test_comment_ids_in_anchors_and_addresses_are_never_localized(client, story, make_comment, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    comment = make_comment(story, pk=1234567)
    make_comment(story, parent=comment)
    html = page(client, story)
    assert 'id="comment-1234567"' in html
    assert 'href="#comment-1234567"' in html and 'data-reply-to="1234567"' in html
    assert 'href="/comments/1234567/flag/"' in html
    assert "1,234,567" not in html
