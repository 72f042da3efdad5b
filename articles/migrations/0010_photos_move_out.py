"""Photo and Rendition now belong to the photos app (state only: the tables stay)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_tag_links_by_tag'),
        ('photos', '0001_initial'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='article',
            name='lead_photo',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lead_for', to='photos.photo'),
        ),
        migrations.AlterField(
            model_name='author',
            name='photo',
            field=models.ForeignKey(blank=True, help_text='A portrait in use cannot be deleted from the photo library.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='portrait_for', to='photos.photo'),
        ),
        migrations.DeleteModel(
            name='Rendition',
        ),
        migrations.DeleteModel(
            name='Photo',
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
