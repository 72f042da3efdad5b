import django.db.models.deletion
import pagecache.invalidation
from django.conf import settings
from django.db import migrations, models


def _rename(apps, old, new):
    Permission = apps.get_model("auth", "Permission")
    for action in ["add", "change", "delete", "view"]:
        Permission.objects.filter(content_type__app_label="comments", codename=f"{action}_{old}").update(
            codename=f"{action}_{new}", name=f"Can {action} {new}"
        )


def rename_permissions(apps, schema_editor):
    _rename(apps, "trustedcommenter", "commenter")


def unrename_permissions(apps, schema_editor):
    _rename(apps, "commenter", "trustedcommenter")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_photos_move_out'),
        ('comments', '0004_desk_bans_decisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Trusted commenters become commenters with a trust level; their rows, and the
        # moderators' permissions on them, are kept.
        migrations.RenameModel(old_name='TrustedCommenter', new_name='Commenter'),
        migrations.AddField(
            model_name='commenter',
            name='trust',
            field=models.CharField(choices=[('normal', "Normal (the story's moderation mode applies)"), ('premoderate', 'Always pre-moderate'), ('trusted', 'Trusted (published at once)')], default='trusted', max_length=12),
        ),
        migrations.AlterField(
            model_name='commenter',
            name='trust',
            field=models.CharField(choices=[('normal', "Normal (the story's moderation mode applies)"), ('premoderate', 'Always pre-moderate'), ('trusted', 'Trusted (published at once)')], default='normal', max_length=12),
        ),
        migrations.AlterField(
            model_name='commenter',
            name='note',
            field=models.TextField(blank=True, help_text='Who this is, and what moderators should know.', verbose_name='moderator notes'),
        ),
        migrations.RunPython(rename_permissions, unrename_permissions),
        migrations.CreateModel(
            name='StoryModeration',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='moderation', serialize=False, to='articles.article')),
                ('mode', models.CharField(choices=[('pre', 'Pre-moderated: shown once a moderator approves'), ('post', 'Post-moderated: shown at once, moderated after'), ('closed', 'Closed: no new comments')], default='pre', max_length=6)),
                ('changed_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'story moderation',
                'verbose_name_plural': 'story moderation',
            },
            bases=(pagecache.invalidation.ShownOnPages, models.Model),
        ),
        migrations.RemoveIndex(
            model_name='comment',
            name='comment_attention',
        ),
        migrations.AddField(
            model_name='comment',
            name='awaiting_review',
            field=models.BooleanField(default=False, editable=False, help_text='Published at once on a post-moderated story; not yet reviewed.'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(models.Case(models.When(status='pending', then=models.Value(0)), default=models.Value(1)), models.F('created'), models.F('id'), condition=models.Q(('status', 'pending'), ('open_flags__gt', 0), ('awaiting_review', True), _connector='OR'), name='comment_attention'),
        ),
        migrations.AddField(
            model_name='storymoderation',
            name='changed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
    ]
