"""Photo and Rendition come over from the articles app: state only, the tables and rows stay.

Their content types move too, so that the newsroom groups keep their photo
permissions and the admin history keeps pointing at the right model.
"""

import django.core.validators
import django.db.models.deletion
import photos.models
from django.db import migrations, models


MODELS = ['photo', 'rendition']


def content_types_to(app_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        moving = ContentType.objects.filter(model__in=MODELS).exclude(app_label=app_label)
        # Types made by a run of migrate that stopped half-way would stand in the way.
        ContentType.objects.filter(app_label=app_label, model__in=moving.values('model')).delete()
        moving.update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0009_tag_links_by_tag'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Photo',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('image', photos.models.PhotoImageField(help_text='JPEG, PNG, WebP or GIF. Readers get a copy without camera or location data; the original is kept privately.', upload_to='photos/%Y/%m/', validators=[photos.models.validate_photo_file])),
                ('original', models.FileField(blank=True, editable=False, max_length=255, storage=photos.models.private_storage, upload_to='originals/%Y/%m/')),
                ('width', models.PositiveIntegerField(editable=False, null=True)),
                ('height', models.PositiveIntegerField(editable=False, null=True)),
                ('focal_x', models.FloatField(default=0.5, help_text='0 is the left edge, 1 the right. Cropped versions keep this point in view.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name='focal point across')),
                ('focal_y', models.FloatField(default=0.5, help_text='0 is the top edge, 1 the bottom.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name='focal point down')),
                ('caption', models.CharField(blank=True, max_length=500)),
                ('credit', models.CharField(blank=True, help_text='E.g. “REUTERS” or “Jane Doe/AFP”.', max_length=120)),
                ('alt_text', models.CharField(help_text='What the photo shows, for readers who cannot see it.', max_length=300)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-uploaded_at'],
                'db_table': 'articles_photo',
            },
        ),
        migrations.CreateModel(
            name='Rendition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('full', 'Whole photo'), ('card', '16:9 crop'), ('square', '1:1 crop')], max_length=10)),
                ('format', models.CharField(choices=[('webp', 'WebP'), ('jpeg', 'JPEG')], max_length=10)),
                ('width', models.PositiveIntegerField()),
                ('height', models.PositiveIntegerField()),
                ('file', models.FileField(max_length=255, upload_to='')),
                ('photo', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='renditions', to='photos.photo')),
            ],
            options={
                'ordering': ['kind', 'format', 'width'],
                'db_table': 'articles_rendition',
                'constraints': [models.UniqueConstraint(fields=('photo', 'kind', 'format', 'width'), name='rendition_unique_size')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(content_types_to('photos'), content_types_to('articles')),
    ]
