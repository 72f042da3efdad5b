import pytest

from articles.sanitize import clean_html, paragraph_ends


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>x<script>document.cookie</script></p>", "document.cookie"),
        ('<p><img src="x" onerror="alert(1)"></p>', "onerror"),
        ('<a href="javascript:alert(1)">click</a>', "javascript"),
        ('<a href="JaVaScRiPt:alert(1)">click</a>', "alert"),
        ('<a href="data:text/html,hi">click</a>', "data:"),
        ("<style>body{display:none}</style><p>x</p>", "display"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<p style="position:fixed">x</p>', "style"),
        ("<!-- secret --><p>x</p>", "secret"),
        ('<form action="/x"><input name="a"></form>', "input"),
    ],
)
def test_dangerous_markup_never_survives(dirty, forbidden):
    assert forbidden not in clean_html(dirty).lower()


def test_newsroom_markup_is_kept():
    html = (
        '<h2>Sub-head</h2><p>Text with <a href="https://example.com/a" title="t">a link</a>, '
        "<strong>bold</strong> and <em>em</em>.</p><ul><li>one</li></ul><ol><li>two</li></ol>"
        "<blockquote><p>Quote</p></blockquote>"
        '<figure><img src="https://example.com/i.jpg" alt="A"><figcaption>Cap</figcaption></figure>'
    )
    assert clean_html(html) == html


def test_unknown_tags_are_stripped_but_their_text_kept():
    assert clean_html("<p><span>kept</span> <marquee>text</marquee></p>") == "<p>kept text</p>"


def test_paragraph_ends_count_only_top_level_paragraphs():
    html = "<p>a</p>\n<blockquote><p>q</p></blockquote><p>b<br>c</p>"
    ends = paragraph_ends(html)
    assert [html[:end] for end in ends] == ["<p>a</p>", html]
