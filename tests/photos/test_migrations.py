"""A database from before the photos app (articles 0009) migrates to the new layout with nothing lost.

The models moved state-only (the rows stay where they are, then the tables
take the photos app's names), so every row, file name, foreign key, content
type and group permission must come through; and the way back must work too.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article, Author
from photos.models import Photo, Rendition

BEFORE_PHOTOS = [("articles", "0009_tag_links_by_tag"), ("photos", None)]
PHOTO_CODENAMES = {"view_photo", "add_photo", "change_photo", "delete_photo"}

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def migrate(targets=None):
    """Migrate to ``targets`` (default: the latest of every app); returns the project's state there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state([node for node in targets if node[1]]).apps


@pytest.fixture
def old_layout(media):
    """The database at articles 0009, left fully migrated again afterwards whatever the test did."""
    apps = migrate(BEFORE_PHOTOS)
    yield apps
    migrate()


def photo_permissions(group_name):
    group = Group.objects.get(name=group_name)
    return {(p.content_type.app_label, p.codename) for p in group.permissions.filter(codename__in=PHOTO_CODENAMES)}


def relations(table):
    with connection.cursor() as cursor:
        return {column: target[1] for column, target in connection.introspection.get_relations(cursor, table).items()}


def test_photos_renditions_stories_and_portraits_survive_the_move(old_layout, media):
    old = old_layout
    assert {"articles_photo", "articles_rendition"} <= set(connection.introspection.table_names())
    reporter_before, editor_before = photo_permissions("Reporter"), photo_permissions("Editor")
    assert ("articles", "view_photo") in reporter_before and ("articles", "delete_photo") in editor_before

    image = media / "media" / "photos" / "2024" / "05" / "launch.jpg"
    image.parent.mkdir(parents=True)
    image.write_bytes(b"\xff\xd8 a photo's bytes")
    Photo_, Rendition_ = old.get_model("articles", "Photo"), old.get_model("articles", "Rendition")
    photo = Photo_.objects.create(
        image="photos/2024/05/launch.jpg",
        original="originals/2024/05/launch.jpg",
        width=1600,
        height=900,
        caption="A rocket lifts off.",
        credit="REUTERS",
        alt_text="A rocket lifting off",
    )
    portrait = Photo_.objects.create(image="photos/2024/05/face.jpg", alt_text="A reporter")
    rendition = Rendition_.objects.create(
        photo=photo, kind="card", format="webp", width=640, height=360, file="photos/renditions/1/card-640-ab.webp"
    )
    section = old.get_model("articles", "Section").objects.create(name="World", slug="world")
    author = old.get_model("articles", "Author").objects.create(name="Ann", slug="ann", photo=portrait)
    story = old.get_model("articles", "Article").objects.create(
        headline="Lift-off",
        slug="lift-off",
        section=section,
        lead_photo=photo,
        status="published",
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )

    migrate()

    tables = set(connection.introspection.table_names())
    assert {"photos_photo", "photos_rendition"} <= tables
    assert not {"articles_photo", "articles_rendition"} & tables
    moved = Photo.objects.get(pk=photo.pk)
    assert (moved.image.name, moved.original.name) == ("photos/2024/05/launch.jpg", "originals/2024/05/launch.jpg")
    assert (moved.width, moved.height, moved.caption, moved.credit) == (1600, 900, "A rocket lifts off.", "REUTERS")
    assert moved.image.storage.exists(moved.image.name)
    assert image.read_bytes() == b"\xff\xd8 a photo's bytes"
    assert list(moved.renditions.values_list("pk", "file")) == [(rendition.pk, "photos/renditions/1/card-640-ab.webp")]
    assert Article.objects.get(pk=story.pk).lead_photo == moved
    assert Author.objects.get(pk=author.pk).photo_id == portrait.pk
    assert Photo.objects.count() == 2 and Rendition.objects.count() == 1

    # The database's own foreign keys now point at the renamed tables.
    assert relations("articles_article")["lead_photo_id"] == "photos_photo"
    assert relations("articles_author")["photo_id"] == "photos_photo"
    assert relations("photos_rendition")["photo_id"] == "photos_photo"

    assert ContentType.objects.get_for_model(Photo).app_label == "photos"
    assert not ContentType.objects.filter(app_label="articles", model__in=["photo", "rendition"]).exists()
    assert photo_permissions("Reporter") == {("photos", codename) for _, codename in reporter_before}
    assert photo_permissions("Editor") == {("photos", codename) for _, codename in editor_before}
    assert Permission.objects.get(codename="view_photo").content_type.app_label == "photos"


def test_the_move_can_be_undone_and_redone(old_layout):
    photo = old_layout.get_model("articles", "Photo").objects.create(image="photos/a.jpg", alt_text="A")
    migrate()
    back = migrate(BEFORE_PHOTOS)
    assert {"articles_photo", "articles_rendition"} <= set(connection.introspection.table_names())
    assert back.get_model("articles", "Photo").objects.get(pk=photo.pk).image == "photos/a.jpg"
    assert photo_permissions("Editor") >= {("articles", "delete_photo")}
    migrate()
    assert Photo.objects.get(pk=photo.pk).image.name == "photos/a.jpg"
    assert ("photos", "delete_photo") in photo_permissions("Editor")
