"""Synthetic WordPress exports of any size, written as a stream, for tests and the import benchmark.

Posts come in a handful of categories and tags, a share with a featured
image; comments are threaded (every third replies to an earlier one); the
attachments' small JPEG files are written under ``media_dir`` as
wp-content/uploads would hold them.
"""

import datetime
import io
import random
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated Gazette</title>
<link>{site}</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{site}</wp:base_site_url>
<wp:base_blog_url>{site}</wp:base_blog_url>
"""
CATEGORIES = ["politics", "business", "sport", "culture", "science", "world"]
TAGS = ["elections", "budget", "football", "theatre", "climate", "trade", "health", "transport"]
AUTHORS = ["jdoe", "asmith", "bkhan", "cnguyen", "dgarcia"]
WORDS = [
    "the",
    "council",
    "said",
    "on",
    "monday",
    "that",
    "new",
    "plans",
    "for",
    "the",
    "river",
    "bridge",
    "would",
    "be",
    "shown",
    "to",
    "residents",
    "next",
    "week",
]


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def small_jpeg(rng):
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), tuple(rng.randrange(256) for _ in range(3))).save(buffer, "JPEG")
    return buffer.getvalue()


def write(path, posts, comments_per_post=5, attachments=0, media_dir=None, site="https://generated.example", seed=1):
    """Write ``posts`` posts with ``comments_per_post`` comments each on average, and ``attachments`` photos."""
    rng = random.Random(seed)
    start = datetime.datetime(2010, 1, 1)
    with Path(path).open("w", encoding="utf-8") as out:
        out.write(HEADER.format(site=site))
        for login in AUTHORS:
            out.write(
                f"<wp:author><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_display_name>{cdata(login.title())}</wp:author_display_name></wp:author>\n"
            )
        for slug in CATEGORIES:
            out.write(
                f"<wp:category><wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
                f"<wp:cat_name>{cdata(slug.title())}</wp:cat_name></wp:category>\n"
            )
        for number in range(1, attachments + 1):
            out.write(attachment(number, site, start, media_dir, rng))
        first_post = attachments + 1
        for number in range(first_post, first_post + posts):
            photo = rng.randrange(1, attachments + 1) if attachments and rng.random() < 0.3 else None
            out.write(post(number, site, start + datetime.timedelta(minutes=7 * number), photo, comments_per_post, rng))
        out.write("</channel>\n</rss>\n")


def attachment(number, site, start, media_dir, rng):
    relative = f"{start:%Y/%m}/photo-{number}.jpg"
    if media_dir is not None:
        target = Path(media_dir) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(small_jpeg(rng))
    return (
        f"<item><title>Photo {number}</title><link>{site}/photo-{number}/</link>"
        f"<wp:post_id>{number}</wp:post_id><wp:post_date_gmt>{start:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
        f"<wp:status>inherit</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>attachment</wp:post_type>"
        f"<excerpt:encoded>{cdata(sentence(rng, 8))}</excerpt:encoded>"
        f"<wp:attachment_url>{site}/wp-content/uploads/{relative}</wp:attachment_url>"
        f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{cdata(relative)}</wp:meta_value>"
        f"</wp:postmeta><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        f"<wp:meta_value>{cdata(sentence(rng, 5))}</wp:meta_value></wp:postmeta></item>\n"
    )


def post(number, site, when, photo, comments_per_post, rng):
    slug = f"story-{number}"
    body = "\n\n".join(sentence(rng, 30) for _ in range(4))
    categories = rng.sample(CATEGORIES, 2)
    parts = [
        f"<item><title>{escape(sentence(rng, 6))}</title><link>{site}/{when:%Y/%m/%d}/{slug}/</link>",
        f"<dc:creator>{cdata(rng.choice(AUTHORS))}</dc:creator>",
        f'<guid isPermaLink="false">{site}/?p={number}</guid>',
        f"<content:encoded>{cdata(body)}</content:encoded><excerpt:encoded>{cdata(sentence(rng))}</excerpt:encoded>",
        f"<wp:post_id>{number}</wp:post_id><wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date>",
        f"<wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>",
        f"<wp:post_name>{slug}</wp:post_name><wp:status>{'publish' if rng.random() < 0.95 else 'draft'}</wp:status>",
        "<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type><wp:is_sticky>0</wp:is_sticky>",
        *(f'<category domain="category" nicename="{c}">{cdata(c.title())}</category>' for c in categories),
        *(f'<category domain="post_tag" nicename="{t}">{cdata(t.title())}</category>' for t in rng.sample(TAGS, 2)),
    ]
    if photo:
        parts.append(
            f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{photo}</wp:meta_value></wp:postmeta>"
        )
    count = rng.randint(0, 2 * comments_per_post) if comments_per_post else 0
    for index in range(1, count + 1):
        comment_id = number * 1000 + index
        parent = number * 1000 + rng.randint(1, index - 1) if index > 1 and index % 3 == 0 else 0
        stamp = when + datetime.timedelta(hours=index)
        parts.append(
            f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
            f"<wp:comment_author>{cdata(f'Reader {index}')}</wp:comment_author>"
            f"<wp:comment_author_email>reader{comment_id}@example.org</wp:comment_author_email>"
            f"<wp:comment_author_IP>192.0.2.{index % 250}</wp:comment_author_IP>"
            f"<wp:comment_date_gmt>{stamp:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata(sentence(rng, 15))}</wp:comment_content>"
            f"<wp:comment_approved>{rng.choice(['1', '1', '1', '0', 'spam'])}</wp:comment_approved>"
            f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )
    parts.append("</item>\n")
    return "".join(parts)
