from django.contrib.auth.management import create_permissions
from django.db import migrations

# Least privilege: reporters write, editors publish, moderators never touch stories.
REPORTER = [
    "view_article",
    "add_article",
    "change_article",
    "view_section",
    "view_tag",
    "add_tag",
    "view_author",
    "view_photo",
    "add_photo",
    "change_photo",
    "add_byline",
    "change_byline",
    "delete_byline",
    "view_byline",
    "add_alsoread",
    "change_alsoread",
    "delete_alsoread",
    "view_alsoread",
    "view_correction",
]
EDITOR = REPORTER + [
    "delete_article",
    "publish_article",
    "add_section",
    "change_section",
    "change_tag",
    "delete_tag",
    "add_author",
    "change_author",
    "delete_photo",
    "add_correction",
    "change_correction",
    "delete_correction",
]
GROUPS = {"Reporter": REPORTER, "Editor": EDITOR, "Moderator": []}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
