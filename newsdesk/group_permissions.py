"""For data migrations that give a newsroom group a permission of a model the same migration made."""

from django.contrib.auth.management import create_permissions


def grant(apps, app_label, group_name, codenames):
    """Give ``group_name`` (made if missing) these permissions of ``app_label``, creating them first:
    Django otherwise creates permissions only after the last migration has run."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
