"""The moderation desk: cards, one decision each, forged decisions, who may decide, and the audit log."""

import csv
import io

import pytest
from django.urls import reverse

from comments.models import Ban, BannedWord, Comment, Commenter, Decision, Flag, StoryModeration

pytestmark = pytest.mark.django_db

DESK = reverse("admin:comments_comment_desk")
DECIDE = reverse("admin:comments_comment_decide")
LOG = reverse("admin:comments_decision_changelist")
EXPORT = reverse("admin:comments_decision_export")
JSON = {"HTTP_ACCEPT": "application/json"}


def decide(client, comment, decision="approved", follow=True, headers=None, **extra):
    data = {"comment": comment.pk, "story": comment.article_id, "decision": decision, "page": "1", **extra}
    return client.post(DECIDE, data, follow=follow, **(headers or {}))


def text(response):
    return response.content.decode()


def test_a_card_shows_what_a_decision_needs(client, moderator, story, make_comment):
    parent = make_comment(story, author_name="Alice", body="The parent comment.")
    make_comment(story, email="bob@example.org", status="spam")
    make_comment(story, email="bob@example.org", status="rejected")
    BannedWord.objects.create(word="scam")
    reply = make_comment(
        story,
        author_name="Bob",
        email="bob@example.org",
        parent=parent,
        status="approved",
        body="Total SCAM, see https://a.example and www.b.example <b>now</b>",
    )
    for n, reason in enumerate(["abuse", "abuse", "spam"]):
        Flag.objects.create(comment=reply, reason=reason, ip_hash=f"r{n}")
    client.force_login(moderator)
    html = text(client.get(DESK))
    card = html[html.index(f'id="card-{reply.pk}"') :]
    card = card[: card.index("</article>")]
    assert f'<a href="{story.get_absolute_url()}">Council approves new budget</a>' in card
    assert "In reply to Alice (approved):" in card and "The parent comment." in card
    assert "Record: 1 approved, 1 rejected, 1 spam; first seen" in card
    assert "Open reports:\n      Abusive or hateful (2), Spam or advertising (1)" in card
    assert "Total <mark>SCAM</mark>, see" in card and "&lt;b&gt;now&lt;/b&gt;" in card
    assert "2 links" in card
    for button in ["Approve", "Spam", "Reject", "Ban commenter"]:
        assert f">{button}</button>" in card
    assert "1 comment needs attention" in html


def test_approve_without_javascript_comes_back_to_the_desk_with_a_message(client, moderator, story, make_comment):
    comment = make_comment(story, status="pending", author_name="Ada")
    flag_target = make_comment(story)
    Flag.objects.create(comment=flag_target, reason="abuse", ip_hash="x")
    client.force_login(moderator)
    response = decide(client, comment)
    assert response.redirect_chain == [(f"{DESK}?page=1", 302)]
    assert "Approved: the comment by Ada." in text(response)
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("approved", moderator)
    assert f'id="card-{comment.pk}"' not in text(response)
    assert f'id="card-{flag_target.pk}"' in text(response)
    (decision,) = Decision.objects.all()
    assert (decision.comment, decision.moderator, decision.action) == (comment, moderator, "approved")


def test_reject_records_the_reason_and_other_needs_a_word(client, moderator, story, make_comment):
    comment = make_comment(story, status="pending")
    client.force_login(moderator)
    response = decide(client, comment, "rejected", headers=JSON, reason="Other", detail=" ")
    assert response.status_code == 409
    assert response.json() == {"done": False, "gone": False, "message": "Say why, when the reason is “Other”."}
    response = decide(client, comment, "rejected", headers=JSON, reason="Off-topic", detail="About another story")
    assert response.json()["done"] is True
    comment.refresh_from_db()
    assert (comment.status, comment.reason) == ("rejected", "Off-topic: About another story")
    assert Decision.objects.get().reason == "Off-topic: About another story"


def test_spam_and_a_reported_comment_taken_down(client, moderator, story, make_comment):
    reported = make_comment(story)
    Flag.objects.create(comment=reported, reason="abuse", ip_hash="x")
    client.force_login(moderator)
    assert decide(client, reported, "spam", headers=JSON).json()["done"]
    reported.refresh_from_db()
    assert (reported.status, reported.open_flags) == ("spam", 0)
    assert not Flag.objects.filter(resolved=False).exists()


@pytest.mark.parametrize("silently", [False, True])
def test_ban_from_a_card_keeps_the_commenter_out(
    client, moderator, story, make_comment, post_comment, settings, silently
):
    settings.COMMENTS_BANNED_SILENTLY = silently
    comment = make_comment(story, status="pending", email="troll@example.org", ip_hash="hash-of-troll")
    client.force_login(moderator)
    assert decide(client, comment, "ban", headers=JSON, ban_days="7").json()["message"] == (
        "Ban commenter: the comment by " + comment.author_name + "."
    )
    comment.refresh_from_db()
    assert (comment.status, comment.reason) == ("spam", "Commenter banned for 7 days")
    ban = Ban.objects.get()
    assert (ban.email, ban.ip_hash, ban.created_by) == ("troll@example.org", "hash-of-troll", moderator)
    assert ban.until is not None
    client.logout()
    response = post_comment(story, email="Troll@Example.org ")
    if silently:
        assert response.status_code == 302
        assert Comment.objects.filter(email="troll@example.org").latest("created").status == "spam"
    else:
        assert response.status_code == 403
        assert "Your comments are not accepted at the moment" in text(response)
        assert Comment.objects.filter(email="troll@example.org").count() == 1


def test_a_ban_for_good_and_by_ip_hash_and_an_expired_one(client, story, post_comment, settings):
    from comments.abuse import keyed_hash

    Ban.objects.create(ip_hash=keyed_hash("198.51.100.9"))
    response = post_comment(story, ip="198.51.100.9")
    assert response.status_code == 403 and "no longer accepted" in text(response)
    Ban.for_days(-1, email="was-suspended@example.org")
    assert post_comment(story, email="was-suspended@example.org").status_code == 302


@pytest.mark.parametrize(
    "forge, message",
    [
        ({"comment": "999999"}, "There is no such comment; nothing was changed."),
        ({"comment": "abc"}, "That card does not name a comment"),
        ({"decision": "delete"}, "Choose Approve, Reject, Spam or Ban commenter."),
        ({"reason": "Because"}, "Select a valid choice"),
        ({"story": "other"}, "That comment is not on the story its card showed; nothing was changed."),
    ],
)
def test_forged_decisions_get_a_clear_message_and_change_nothing(
    client, moderator, story, make_article, make_comment, forge, message
):
    comment = make_comment(story, status="pending")
    if forge.get("story") == "other":
        forge = {"story": make_article(headline="Another story").pk}
    client.force_login(moderator)
    data = {"comment": comment.pk, "story": story.pk, "decision": "rejected", "reason": "Off-topic", **forge}
    plain = client.post(DECIDE, data, follow=True)
    assert plain.status_code == 200 and message in text(plain)
    scripted = client.post(DECIDE, data, **JSON)
    assert scripted.status_code == 409 and message in scripted.json()["message"]
    comment.refresh_from_db()
    assert comment.status == "pending" and not Decision.objects.exists()


def test_a_repeated_or_stale_decision_is_counted_once(client, moderator, make_user, story, make_comment):
    comment = make_comment(story, status="pending")
    client.force_login(moderator)
    assert decide(client, comment, headers=JSON).json()["done"]
    again = decide(client, comment, "spam", headers=JSON)
    assert again.status_code == 409
    assert again.json() == {
        "done": False,
        "gone": True,
        "message": "This comment was already decided (approved, by moderator); nothing was changed. "
        "Reload the desk to see what still awaits a decision.",
    }
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert Decision.objects.count() == 1
    assert "This comment was already decided" in text(decide(client, comment))


def test_decide_by_get_goes_back_to_the_desk(client, moderator):
    client.force_login(moderator)
    assert client.get(DECIDE)["Location"] == DESK


def test_anonymous_users_reporters_and_editors_reach_no_moderation_action(
    client, reporter, editor, story, make_comment
):
    comment = make_comment(story, status="pending")
    for url in [DESK, DECIDE]:
        assert client.get(url)["Location"].startswith(reverse("admin:login"))
    assert decide(client, comment, follow=False)["Location"].startswith(reverse("admin:login"))
    for user in [reporter, editor]:
        client.force_login(user)
        assert client.get(DESK).status_code == 403
        assert decide(client, comment, follow=False).status_code == 403
        assert decide(client, comment, "ban", follow=False, headers=JSON).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending" and not Decision.objects.exists() and not Ban.objects.exists()
    client.force_login(reporter)
    assert client.get(LOG).status_code == 403 and client.get(EXPORT).status_code == 403
    assert client.get(reverse("admin:comments_ban_changelist")).status_code == 403


def test_desk_queries_do_not_grow_with_comments(client, moderator, story, make_comment, django_assert_max_num_queries):
    BannedWord.objects.create(word="scam")

    def add(n):
        for _ in range(n):
            comment = make_comment(story, parent=make_comment(story), status="pending")
            Flag.objects.create(comment=make_comment(story), reason="abuse", ip_hash=f"x{comment.pk}")

    add(2)
    client.force_login(moderator)
    with django_assert_max_num_queries(12) as few:
        client.get(DESK)
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(DESK)
    assert len(response.context["cards"]) == 20
    assert "Page 1 of 4" in text(response)


def test_change_page_and_list_actions_decide_through_the_same_path(client, moderator, story, make_comment):
    one, two = make_comment(story, status="pending"), make_comment(story, status="pending")
    client.force_login(moderator)
    client.post(
        reverse("admin:comments_comment_change", args=[one.pk]),
        {"flags-TOTAL_FORMS": "0", "flags-INITIAL_FORMS": "0", "status": "rejected", "reason": "Off-topic"},
    )
    client.post(reverse("admin:comments_comment_changelist"), {"action": "mark_spam", "_selected_action": [two.pk]})
    assert sorted(Decision.objects.values_list("comment_id", "action", "reason", "moderator")) == [
        (one.pk, "rejected", "Off-topic", moderator.pk),
        (two.pk, "spam", "Spam", moderator.pk),
    ]


def test_audit_log_is_read_by_editors_filtered_and_exported_as_csv(
    client, moderator, editor, make_user, story, make_comment
):
    other = make_user("Moderator", username="second-moderator")
    mine, theirs = make_comment(story, status="pending"), make_comment(story, status="pending", author_name="Zed")
    mine.moderate("approved", moderator)
    theirs.moderate("rejected", other, "Off-topic")
    client.force_login(editor)
    listed = text(client.get(LOG))
    assert "second-moderator" in listed and "Off-topic" in listed and "Export as CSV" in listed
    filtered = client.get(LOG, {"moderator__id__exact": other.pk, "action": "rejected"})
    assert list(filtered.context["cl"].result_list) == [Decision.objects.get(moderator=other)]
    assert client.get(LOG, {"created__gte": "2999-01-01T00:00:00+00:00"}).context["cl"].result_list.count() == 0
    assert f'href="{EXPORT}?moderator__id__exact={other.pk}&amp;action=rejected"' in text(filtered)
    export = client.get(EXPORT, {"moderator__id__exact": other.pk})
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["when", "moderator", "decision", "reason", "comment id", "commenter", "story"]
    assert rows[1][1:] == ["second-moderator", "Rejected", "Off-topic", str(theirs.pk), "Zed", story.headline]
    assert len(rows) == 2
    assert client.post(reverse("admin:comments_decision_delete", args=[rows[1][4]])).status_code == 403


def test_trust_levels_and_notes(client, moderator, story, make_article, post_comment):
    post_moderated = make_article(headline="Live blog")
    StoryModeration.objects.create(article=post_moderated, mode="post")
    Commenter.objects.create(email="known@example.org", trust="trusted")
    Commenter.objects.create(email="careful@example.org", trust="premoderate", note="Two libel scares in May.")
    post_comment(story, email="Known@example.org")
    post_comment(post_moderated, email="careful@example.org", body="Held despite the live blog.")
    statuses = dict(Comment.objects.values_list("email", "status"))
    assert statuses == {"known@example.org": "approved", "careful@example.org": "pending"}
    client.force_login(moderator)
    html = text(client.get(DESK))
    assert "Commenter: Always pre-moderate; note: Two libel scares in May." in html


def test_post_moderated_story_shows_at_once_and_asks_for_review_after(client, moderator, make_article, post_comment):
    live = make_article(headline="Live blog")
    StoryModeration.objects.create(article=live, mode="post")
    post_comment(live, body="Shown straight away.")
    comment = Comment.objects.get()
    assert (comment.status, comment.awaiting_review, comment.moderated_at) == ("approved", True, None)
    assert "Shown straight away." in text(client.get(live.get_absolute_url()))
    client.force_login(moderator)
    assert "Published unreviewed (post-moderated story)" in text(client.get(DESK))
    assert decide(client, comment, headers=JSON).json()["done"]
    comment.refresh_from_db()
    assert comment.awaiting_review is False
    assert f'id="card-{comment.pk}"' not in text(client.get(DESK))


def test_a_moderator_closes_comments_on_a_story_with_none_yet(client, moderator, make_article, post_comment):
    quiet = make_article(headline="No comments yet")
    client.force_login(moderator)
    add = reverse("admin:comments_storymoderation_add")
    wrong = client.post(add, {"story": "/not/a/story/", "mode": "closed"})
    assert "No story has this address or number." in text(wrong)
    assert (
        client.post(add, {"story": f"http://testserver{quiet.get_absolute_url()}", "mode": "closed"}).status_code == 302
    )
    again = client.post(add, {"story": str(quiet.pk), "mode": "post"})
    assert "This story already has a moderation mode" in text(again)
    client.logout()
    page = text(client.get(quiet.get_absolute_url()))
    assert "Comments are closed on this story." in page and 'id="comment-form"' not in page
    post_comment(quiet)
    assert not Comment.objects.exists()


def test_moderator_bans_by_email_or_ip_hash_in_the_admin(client, moderator):
    client.force_login(moderator)
    add = reverse("admin:comments_ban_add")
    empty = client.post(add, {"email": "", "ip_hash": "", "days": "", "reason": ""})
    assert "Give the commenter&#x27;s email, or the IP hash" in text(empty)
    assert client.post(add, {"email": "Spammer@Example.org", "days": "3", "reason": "Flood"}).status_code == 302
    assert client.post(add, {"ip_hash": "abc123", "days": "", "reason": "Bot"}).status_code == 302
    suspended, banned = Ban.objects.order_by("created")
    assert (suspended.email, suspended.created_by) == ("spammer@example.org", moderator)
    assert 2.9 < (suspended.until - suspended.created).total_seconds() / 86400 < 3.1
    assert (banned.ip_hash, banned.until) == ("abc123", None)
    assert list(Ban.objects.matching("spammer@example.org", "")) == [suspended]
