from django.contrib.auth.management import create_permissions
from django.db import migrations

# Moderators run the comments and their rules; editors may read the comments
# on their stories; reporters get nothing here.
MODERATOR = [
    "view_comment",
    "change_comment",
    "view_flag",
    "view_commentsettings",
    "add_commentsettings",
    "change_commentsettings",
    "view_trustedcommenter",
    "add_trustedcommenter",
    "change_trustedcommenter",
    "delete_trustedcommenter",
    "view_bannedword",
    "add_bannedword",
    "change_bannedword",
    "delete_bannedword",
]
EDITOR = ["view_comment", "view_flag"]
GROUPS = {"Moderator": MODERATOR, "Editor": EDITOR}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="comments", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_comments_flags_settings"),
        ("articles", "0002_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
