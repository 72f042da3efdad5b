"""The photo tables take the photos app's names, now that the models have moved (see 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('photos', '0001_initial'),
        ('articles', '0010_photos_move_out'),
    ]

    operations = [
        migrations.AlterModelTable(name='photo', table=None),
        migrations.AlterModelTable(name='rendition', table=None),
    ]
