import pytest

from archive import generate, wxr
from articles.models import Article
from comments.models import Comment
from photos.models import Photo

pytestmark = pytest.mark.django_db


def test_a_generated_export_is_a_valid_export_that_imports(run_import, tmp_path):
    export, media = tmp_path / "big.xml", tmp_path / "uploads"
    generate.write(export, posts=30, comments_per_post=4, attachments=5, media_dir=media)
    channel, counts, _ = wxr.survey(export)
    assert channel.version == "1.2" and counts["post"] == 30 and counts["attachment"] == 5
    report, _ = run_import("import_wordpress", export, media_dir=media, defer_renditions=True)
    assert Article.objects.count() == 30 and Photo.objects.count() == 5
    assert Comment.objects.count() == counts["comments"]
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert not Photo.objects.filter(renditions__isnull=False).exists()
    assert "run manage.py build_renditions now" in report
