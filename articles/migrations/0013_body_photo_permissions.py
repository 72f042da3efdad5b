from django.contrib.auth.management import create_permissions
from django.db import migrations

# Reporters and editors place photos in the body as they place "Also read" links.
CODENAMES = ["add_bodyphoto", "change_bodyphoto", "delete_bodyphoto", "view_bodyphoto"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Reporter", "Editor"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_body_photos")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
