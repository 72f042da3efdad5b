import datetime
import re

import pytest
from django.utils import timezone

from articles.models import AlsoRead, Article, Author, Correction

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_article, make_author, make_photo, make_tag, section):
    reporter = make_author("Jane Reporter")
    desk = make_author("News Desk", kind=Author.Kind.DESK)
    agency = make_author("AFP", kind=Author.Kind.AGENCY)
    target = make_article(headline="Europe looks to NASA instead")
    story = make_article(
        headline="Russia ceases work on joint space projects with Europe",
        standfirst="Roscosmos says it has sought China's cooperation.",
        body="<p>First paragraph.</p><p>Second paragraph.</p><h2>Reaction</h2><p>Third paragraph.</p>",
        section=section,
        authors=[reporter, desk, agency],
        lead_photo=make_photo(),
        tags=[make_tag("Space"), make_tag("Russia")],
        publish_at=datetime.datetime(2022, 3, 1, 9, 0, tzinfo=datetime.UTC),
    )
    AlsoRead.objects.create(article=story, target=target, after_paragraph=1)
    Correction.objects.create(article=story, text="An earlier version misnamed the agency.")
    return story


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_story_page_anatomy_in_order(client, story):
    page = html_of(client.get(story.get_absolute_url()))
    html = page[page.index('<main id="content"') :]
    order = [
        '<a class="section-label" href="/world/">World</a>',
        '<h1 class="story__headline">Russia ceases work on joint space projects with Europe</h1>',
        "Roscosmos says it has sought China&#x27;s cooperation.",
        "Jane Reporter</a>",
        "News Desk</a>",
        "AFP</a>",
        "March 01, 2022",
        "A Soyuz rocket blasts off, April 9, 2021.",
        "Photo: REUTERS",
        "<p>First paragraph.</p>",
        "Europe looks to NASA instead</a>",
        "<p>Second paragraph.</p>",
        "An earlier version misnamed the agency.",
        'rel="tag">Space</a>',
        "Related stories",
    ]
    positions = [html.index(fragment) for fragment in order]
    assert positions == sorted(positions)


def test_byline_links_every_author(client, story):
    html = html_of(client.get(story.get_absolute_url()))
    for author in story.authors.all():
        assert f'<a href="{author.get_absolute_url()}" rel="author">{author.name}</a>' in html


def test_caption_and_credit_are_separate_elements(client, story):
    html = html_of(client.get(story.get_absolute_url()))
    assert '<span class="photo__caption">A Soyuz rocket blasts off, April 9, 2021.</span>' in html
    assert '<span class="photo__credit">Photo: REUTERS</span>' in html
    assert 'alt="A rocket lifting off"' in html


def test_updated_shown_only_after_an_edit(client, story):
    assert "Updated" not in html_of(client.get(story.get_absolute_url()))
    story = Article.objects.get(pk=story.pk)
    story.standfirst = "A corrected standfirst."
    story.save()
    assert re.search(r"Updated <time", html_of(client.get(story.get_absolute_url())))


def test_also_read_sits_after_the_chosen_paragraph(client, story):
    html = html_of(client.get(story.get_absolute_url()))
    first = html.index("<p>First paragraph.</p>")
    aside = html.index('<aside class="also-read"')
    second = html.index("<p>Second paragraph.</p>")
    assert first < aside < second
    assert "Also read:" in html[aside:second]


@pytest.mark.parametrize(
    "status, publish_in",
    [
        (Article.Status.DRAFT, None),
        (Article.Status.IN_REVIEW, None),
        (Article.Status.SCHEDULED, 3),
        (Article.Status.WITHDRAWN, -3),
    ],
)
def test_unpublished_story_is_404_for_readers_and_preview_for_staff(client, make_article, editor, status, publish_in):
    publish_at = timezone.now() + datetime.timedelta(hours=publish_in) if publish_in else None
    story = make_article(status=status, publish_at=publish_at, headline="Secret plans")
    for url in (story.get_absolute_url(), story.get_short_url()):
        response = client.get(url)
        assert response.status_code == (410 if status == Article.Status.WITHDRAWN else 404)
        assert "Secret plans" not in response.content.decode()
    client.force_login(editor)
    html = html_of(client.get(story.get_short_url()))
    assert "Secret plans" in html
    assert '<p class="preview-banner"' in html


def test_preview_needs_staff(client, make_article, make_user):
    story = make_article(status=Article.Status.DRAFT)
    client.force_login(make_user(is_staff=False))
    assert client.get(story.get_short_url()).status_code == 404


def test_changed_slug_redirects_permanently(client, story):
    old = story.get_absolute_url()
    story = Article.objects.get(pk=story.pk)
    story.slug = "russia-space-europe"
    story.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_wrong_section_or_date_redirects_to_canonical(client, story, make_section):
    wrong = f"/{make_section().slug}/2020/01/01/{story.slug}/"
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_short_url_redirects_to_canonical(client, story):
    response = client.get(f"/story/{story.pk}/")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_unknown_story_is_a_styled_404(client, section):
    response = client.get("/world/2022/03/01/nothing-here/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


def test_home_shows_top_stories_and_sections(client, make_article, make_section):
    sport = make_section("Sport")
    top = make_article(headline="The big one", featured=True)
    make_article(headline="Cup final tonight", section=sport)
    html = html_of(client.get("/")).split("<main", 1)[1]  # the head's structured data lists them too
    assert "Top stories" in html
    assert html.index("The big one") < html.index('id="section-sport"') < html.index("Cup final tonight")
    assert top.get_absolute_url() in html


def test_home_hides_unpublished(client, make_article):
    make_article(headline="Draft headline", status=Article.Status.DRAFT)
    make_article(
        headline="Future headline",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    html = html_of(client.get("/"))
    assert "Draft headline" not in html
    assert "Future headline" not in html


def follow(client, html, rel):
    """Follow the page's rel=next/prev link, as a reader without JavaScript would."""
    link = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    assert link, f"no rel={rel} link"
    return link[1].replace("&amp;", "&"), html_of(client.get(link[1].replace("&amp;", "&")))


def listed(html):
    return re.findall(r">(Listed \d\d)</a>", html)


@pytest.mark.parametrize("page_url", ["section", "tag", "author", "archive", "home"])
def test_list_pages_paginate(client, settings, make_article, make_tag, make_author, section, page_url):
    settings.PAGE_SIZE = 5
    tag, author = make_tag(), make_author()
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(12):
        make_article(
            headline=f"Listed {n:02d}",
            section=section,
            tags=[tag],
            authors=[author],
            publish_at=start - datetime.timedelta(minutes=n),
        )
    url = {
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "archive": f"/archive/{timezone.localtime(start):%Y}/",
        "home": "/",
    }[page_url]
    first = html_of(client.get(url))
    assert listed(first)[-5:] == [f"Listed {n:02d}" for n in range(5)]
    assert "Page 1" in first and 'rel="prev"' not in first
    _, second = follow(client, first, "next")
    assert listed(second) == [f"Listed {n:02d}" for n in range(5, 10)]
    assert "Page 2" in second
    third_url, third = follow(client, second, "next")
    assert listed(third) == ["Listed 10", "Listed 11"]
    assert "Page 3" in third and 'rel="next"' not in third
    assert "?page=" not in third_url and "before=" in third_url
    _, back = follow(client, third, "prev")
    assert listed(back) == listed(second) and "Page 2" in back
    first_url, _ = follow(client, back, "prev")
    assert first_url == url


def test_stories_published_at_the_same_instant_are_neither_skipped_nor_repeated(
    client, settings, make_article, section
):
    settings.PAGE_SIZE = 3
    same = timezone.now() - datetime.timedelta(hours=1)
    for n in range(8):
        make_article(headline=f"Listed {n:02d}", section=section, publish_at=same)
    pages = [html_of(client.get("/world/"))]
    while 'rel="next"' in pages[-1]:
        pages.append(follow(client, pages[-1], "next")[1])
    seen = [headline for page in pages for headline in listed(page)]
    assert sorted(seen) == [f"Listed {n:02d}" for n in range(8)]
    assert len(pages) == 3
    _, back = follow(client, pages[2], "prev")
    assert listed(back) == listed(pages[1])


@pytest.mark.parametrize("param", ["before=garbage", "after=1.x", "before=-99999999999999999.1", "before=%00"])
def test_broken_page_links_get_a_friendly_page(client, make_article, section, param):
    make_article(section=section)
    response = client.get(f"/world/?{param}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This page link is broken" in html
    assert '<a href="/world/">Start again from the newest stories</a>' in html


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1e9", "%00"])
def test_bad_page_numbers_never_fail(client, make_article, section, page):
    make_article(section=section)
    response = client.get(f"/world/?page={page}")
    assert response.status_code == 200


def test_archive_pages(client, make_article):
    march = make_article(headline="March story", publish_at=datetime.datetime(2022, 3, 1, 12, tzinfo=datetime.UTC))
    make_article(headline="April story", publish_at=datetime.datetime(2022, 4, 2, 12, tzinfo=datetime.UTC))
    day = html_of(client.get("/archive/2022/03/01/"))
    assert "March story" in day and "April story" not in day
    assert "March 01, 2022" in day
    month = html_of(client.get("/archive/2022/04/"))
    assert "April story" in month and "March story" not in month
    year = html_of(client.get("/archive/2022/"))
    assert "April story" in year and march.headline in year


@pytest.mark.parametrize(
    "url", ["/archive/2022/13/", "/archive/2022/02/30/", "/archive/0000/", "/archive/2026/00/", "/archive/2026/01/00/"]
)
def test_impossible_dates_are_404(client, url):
    assert client.get(url).status_code == 404


def test_unknown_section_tag_author_are_404(client, db):
    for url in ("/nowhere/", "/tag/nothing/", "/author/nobody/"):
        assert client.get(url).status_code == 404


def test_story_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, make_article, make_author, make_tag, make_photo
):
    def build(n):
        targets = [make_article(lead_photo=make_photo()) for _ in range(n)]
        story = make_article(
            authors=[make_author() for _ in range(n)],
            tags=[make_tag() for _ in range(n)],
            lead_photo=make_photo(),
        )
        for position, target in enumerate(targets, 1):
            AlsoRead.objects.create(article=story, target=target, after_paragraph=position)
        return story

    small, large = build(1), build(8)
    # 12 (one for the photos in the body), plus renditions of the lead photo, the also-read targets' and
    # the related stories' photos, plus the page cache asking when the next scheduled story goes live,
    # plus the breaking-news banner (once per page generation).
    with django_assert_max_num_queries(17) as small_queries:
        html_of(client.get(small.get_absolute_url()))
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        html_of(client.get(large.get_absolute_url()))


def test_list_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, make_article, make_photo, make_author, section
):
    for _ in range(15):
        make_article(section=section, lead_photo=make_photo(), authors=[make_author(), make_author()])
    # Comment counts and the photos' renditions: one query each per list of cards; the placed stories;
    # the breaking-news banner (once per page generation).
    with django_assert_max_num_queries(9):
        html_of(client.get("/world/"))
    # Home: top stories, section blocks (a cut-off query, then the stories), latest, bylines,
    # most read, comment counts, renditions, go-live time, banner.
    with django_assert_max_num_queries(14):
        html_of(client.get("/"))


def test_500_page_renders_without_request_or_database():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html


def test_home_section_blocks_hold_the_four_newest_even_with_ties(client, make_article, make_section):
    busy, quiet = make_section("Busy"), make_section("Quiet")
    same = timezone.now() - datetime.timedelta(hours=2)
    for n in range(6):
        make_article(
            headline=f"Busy {n}", section=busy, publish_at=same if n < 5 else same - datetime.timedelta(days=1)
        )
    make_article(headline="Quiet one", section=quiet)
    html = html_of(client.get("/"))
    block = html[html.index('id="section-busy"') : html.index('id="section-quiet"')]
    assert len(re.findall(r">Busy \d</a>", block)) == 4
    assert "Busy 5" not in block
    assert "Quiet one" in html[html.index('id="section-quiet"') :]
