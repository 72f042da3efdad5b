import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_search_vector"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReadCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("hour", models.DateTimeField()),
                ("reads", models.PositiveIntegerField(default=0)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="read_counts",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["hour"], name="read_count_hour")],
                "constraints": [models.UniqueConstraint(fields=("article", "hour"), name="unique_read_count")],
            },
        ),
    ]
