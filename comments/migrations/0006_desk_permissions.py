from django.contrib.auth.management import create_permissions
from django.db import migrations

# Moderators ban and unban commenters, set stories' moderation modes and read the audit log;
# editors read the log too.
GROUPS = {
    "Moderator": [
        *(f"{action}_{model}" for model in ["ban", "storymoderation"] for action in ["view", "add", "change", "delete"]),
        "view_decision",
    ],
    "Editor": ["view_decision"],
}


def permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [("comments", "0005_commenters_trust_story_modes")]

    operations = [migrations.RunPython(grant, revoke)]
