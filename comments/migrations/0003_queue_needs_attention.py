from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery


def count_open_flags(apps, schema_editor):
    """Count the reports still open on each comment, once; from now on the Flag model keeps it."""
    Comment, Flag = apps.get_model("comments", "Comment"), apps.get_model("comments", "Flag")
    open_flags = Flag.objects.filter(resolved=False)
    counted = open_flags.filter(comment=OuterRef("pk")).order_by().values("comment").annotate(n=Count("id")).values("n")
    Comment.objects.filter(pk__in=open_flags.values("comment")).update(open_flags=Subquery(counted))


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0002_moderator_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='open_flags',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Reader reports a moderator has not settled yet.', verbose_name='open reports'),
        ),
        migrations.RunPython(count_open_flags, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(models.Case(models.When(status='pending', then=models.Value(0)), default=models.Value(1)), models.F('created'), models.F('id'), condition=models.Q(('status', 'pending'), ('open_flags__gt', 0), _connector='OR'), name='comment_attention'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(models.Case(models.When(status='pending', then=models.Value(0)), default=models.Value(1)), models.F('created'), models.F('id'), condition=models.Q(('open_flags__gt', 0)), name='comment_reported'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['created', 'id'], name='comment_created'),
        ),
    ]
