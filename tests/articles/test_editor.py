"""The story form's body: pasted HTML, plain text, embeds, "Also read" positions and bad input."""

from pathlib import Path

import pytest
from django.urls import reverse

from articles import body, embeds
from articles.models import AlsoRead, Article
from articles.sanitize import clean_html

from .test_admin import ADD, article_form, change_url

pytestmark = pytest.mark.django_db

CLIPBOARD = Path(__file__).resolve().parents[1] / "clipboard"


def pasted(name):
    return clean_html(body.prepare((CLIPBOARD / f"{name}.html").read_text()))


def test_google_docs_paste_keeps_structure_and_emphasis_only():
    assert pasted("google_docs") == (
        "<h2>Flood barrier opens early</h2>"
        "<p>The city's new barrier was raised for the <strong>first time</strong> on Sunday.</p>"
        "<p><em>Engineers</em> had planned a test in May. "
        '<a href="https://example.org/barrier">Read the report</a>.</p>'
        "<h2>What changes</h2>"
        "<ul><li><p>Roads stay open</p></li><li><p>Ferries run late</p></li></ul>"
    )


def test_word_paste_turns_list_paragraphs_into_a_list_and_drops_comments_and_styles():
    html = pasted("word")
    assert html.startswith("<h2>Budget vote</h2><p>Councillors approved the budget by <b>one vote</b>")
    assert "<ul><li>Schools get more</li><li>Roads get less</li></ul>" in html
    assert '<a href="https://example.org/minutes">online</a>' in html
    for dropped in ("Check the vote count", "[JD1]", "COMMENT", "Calibri", "mso-", "o:p", "Council notes", "·"):
        assert dropped not in html


def test_web_page_paste_drops_fonts_classes_handlers_and_tracking_pixels():
    assert pasted("web_page") == (
        "<h3>Night trains return</h3>"
        "<p>Sleeper services to Vienna resume in <strong>March</strong>, the operator said, "
        "<em>after three years</em>.</p>"
        '<p>Tickets go on sale today at <a href="https://example.org/tickets">the booking site</a>.</p>'
        "<ol><li>Vienna</li><li>Munich</li></ol>"
        "<blockquote><p>It is a good day for rail.</p></blockquote>"
    )


def test_plain_text_keeps_its_paragraphs():
    text = "First paragraph,\nstill the first.\n\nSecond: 2 < 3 & more.\r\n\r\n\r\nThird."
    assert body.prepare(text) == (
        "<p>First paragraph,<br>still the first.</p><p>Second: 2 &lt; 3 &amp; more.</p><p>Third.</p>"
    )


@pytest.mark.parametrize(
    "url, provider, embed_id",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42", "youtube", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "vimeo", "76979871"),
        ("https://x.com/nasa/status/1790000000000000000", "x", "1790000000000000000"),
        ("https://twitter.com/nasa/status/123456789", "x", "123456789"),
        ("https://www.instagram.com/p/C1a2B3c4D5e/", "instagram", "C1a2B3c4D5e"),
        ("https://www.tiktok.com/@scout2015/video/6718335390845095173", "tiktok", "6718335390845095173"),
        ("https://www.facebook.com/nasa/posts/10158123456789", "facebook", "nasa/posts/10158123456789"),
        ("https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk", "spotify", "episode/4rOoJ6Egrf8K2IrywzwOMk"),
        ("https://soundcloud.com/nasa/sounds-of-saturn", "soundcloud", "nasa/sounds-of-saturn"),
        ("https://datawrapper.dwcdn.net/Ab3Cd/2/", "datawrapper", "Ab3Cd"),
        ("https://public.flourish.studio/visualisation/1234567/", "flourish", "visualisation/1234567"),
        ("https://www.google.com/maps/embed?pb=!1m18!1m12!3d-0.12!2d51.5", "googlemaps", "!1m18!1m12!3d-0.12!2d51.5"),
    ],
)
def test_each_provider_is_recognised(url, provider, embed_id):
    embed = embeds.parse(url)
    assert (embed.provider.slug, embed.id, embed.url) == (provider, embed_id, url)
    assert body.prepare(f"<p>{url}</p>") == embed.as_stored()


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "not a supported embed provider"),
        ("https://evil-youtube.com/watch?v=dQw4w9WgXcQ", "not a supported embed provider"),
        ("https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ", "user name or port"),
        ("javascript:alert(1)", "not an http or https address"),
        ("data:text/html,<script>alert(1)</script>", "not an http or https address"),
        ("https://www.youtube.com/feed/trending", "not one of a post"),
    ],
)
def test_unknown_and_lookalike_addresses_are_refused_with_the_supported_list(url, reason):
    with pytest.raises(embeds.EmbedError) as refused:
        embeds.parse(url)
    assert reason in str(refused.value) and embeds.SUPPORTED in str(refused.value)


def test_a_link_to_an_ordinary_page_on_its_own_line_stays_a_link():
    html = '<p><a href="https://example.org/report">https://example.org/report</a></p>'
    assert body.prepare(html) == html


def test_an_iframe_embed_code_from_a_provider_becomes_an_embed():
    code = '<iframe width="560" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" allowfullscreen></iframe>'
    stored = clean_html(body.prepare(code))
    assert stored == (
        '<figure data-embed="youtube" data-id="dQw4w9WgXcQ" '
        'data-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></figure>'
    )


def test_a_forged_stored_embed_is_checked_again():
    forged = '<figure data-embed="youtube" data-id="x" data-url="https://evil.example/x"></figure>'
    with pytest.raises(body.ValidationError, match="not a supported embed provider"):
        body.prepare(forged)


def post_body(client, editor, section, make_author, html):
    client.force_login(editor)
    return client.post(ADD, article_form(section, make_author(), body=html))


def form_errors(response):
    assert response.status_code == 200
    return " ".join(str(error) for error in response.context["adminform"].form.errors.get("body", []))


@pytest.mark.parametrize(
    "html, message",
    [
        ("<p>" + "x" * 5_000_000 + "</p>", "a story may have at most"),
        ("<div>" * 10_000 + "deep" + "</div>" * 10_000, "nests more than 100 elements deep"),
        ("<p>https://youtu.be/dQw4w9WgXcQ</p>" * 100, "100 embeds; a story can carry at most 50"),
        ("<p>https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ</p>", "not a supported embed provider"),
        ('<iframe src="https://evil.example/frame"></iframe>', "Embeds are accepted from: YouTube, Vimeo"),
        (
            '<blockquote class="twitter-tweet"><a href="https://x.com/a/status/1">x</a></blockquote>'
            '<script async src="https://platform.twitter.com/widgets.js"></script>',
            "contains a script",
        ),
    ],
    ids=["5 MB", "10,000 deep", "100 embeds", "lookalike", "unknown iframe", "embed code with a script"],
)
def test_bad_bodies_are_form_errors_and_keep_what_is_stored(client, editor, section, make_author, html, message):
    assert message in form_errors(post_body(client, editor, section, make_author, html))
    assert not Article.objects.exists()


def test_a_refused_change_leaves_the_stored_body_alone(client, editor, make_article):
    story = make_article()
    client.force_login(editor)
    data = article_form(story.section, story.byline_authors[0], slug=story.slug, status="published")
    data.update({"bylines-INITIAL_FORMS": "1", "bylines-0-id": story.ordered_bylines[0].pk})
    data.update({"body": "<p>javascript:alert(1)</p>", "publish_at_0": "2024-01-01", "publish_at_1": "09:00"})
    response = client.post(change_url(story), data)
    assert "not an http or https address" in form_errors(response)
    assert Article.objects.get(pk=story.pk).body == story.body


def test_a_new_story_with_an_embed_shows_a_facade_without_any_third_party_frame(client, editor, section, make_author):
    html = "<p>Watch the launch.</p><p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>"
    response = post_body(client, editor, section, make_author, html)
    assert response.status_code == 302
    story = Article.objects.get()
    story.status, story.publish_at = Article.Status.PUBLISHED, None
    story.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<a class="embed__link" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in page
    assert 'data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "<iframe" not in page and "js/embeds.js" in page


def also_read_form(story, target, after):
    data = article_form(story.section, story.byline_authors[0], slug=story.slug, body=story.body)
    data.update(
        {
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": story.ordered_bylines[0].pk,
            "bylines-0-article": story.pk,
            "also_read_links-TOTAL_FORMS": "1",
            "also_read_links-0-target": target.pk,
            "also_read_links-0-after_paragraph": str(after),
            "also_read_links-0-order": "0",
        }
    )
    return data


def test_also_read_past_the_last_paragraph_is_a_form_error(client, editor, make_article):
    story, target = make_article(), make_article()
    client.force_login(editor)
    response = client.post(change_url(story), also_read_form(story, target, 99))
    assert response.status_code == 200
    assert "The body has 3 paragraphs; choose a number from 1 to 3" in response.content.decode()
    assert not AlsoRead.objects.exists()
    response = client.post(change_url(story), also_read_form(story, target, 3))
    assert response.status_code == 302
    assert AlsoRead.objects.get().after_paragraph == 3


def test_the_admin_story_form_renders(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_add")).status_code == 200


def test_new_tags_are_typed_straight_into_the_story_form(client, editor, section, make_author, make_tag):
    make_tag("Space")
    client.force_login(editor)
    response = client.post(ADD, article_form(section, make_author(), new_tags="space, Lunar economy,  , Lunar economy"))
    assert response.status_code == 302
    assert sorted(tag.name for tag in Article.objects.get().tags.all()) == ["Lunar economy", "Space"]


def test_a_tag_without_letters_is_a_form_error(client, editor, section, make_author):
    client.force_login(editor)
    response = client.post(ADD, article_form(section, make_author(), new_tags="!!!"))
    assert "has no letters or digits" in response.content.decode()
    assert not Article.objects.exists()
