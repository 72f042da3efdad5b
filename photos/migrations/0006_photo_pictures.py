from django.db import migrations, models

from photos.models import pictures_of


def work_out_pictures(apps, schema_editor):
    """Fill ``pictures`` of the photos already stored, so that no page works them out on the fly."""
    stored = apps.get_model("photos", "Photo").objects.using(schema_editor.connection.alias)
    photos = stored.prefetch_related("renditions").order_by("pk")
    batch = []
    for photo in photos.iterator(chunk_size=500):
        photo.pictures = pictures_of(photo, photo.renditions.all())
        batch.append(photo)
        if len(batch) == 500:
            stored.bulk_update(batch, ["pictures"])
            batch = []
    stored.bulk_update(batch, ["pictures"])


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0005_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="pictures",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="pictures"),
        ),
        migrations.RunPython(work_out_pictures, migrations.RunPython.noop),
    ]
