from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors see how background jobs went (photo renditions, emails, go-live purges), failed ones included.
EDITOR = {"django_tasks_database": ["view_dbtaskresult"], "jobs": ["view_worker", "view_periodicrun"]}


def permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.none()
    for app_label, codenames in EDITOR.items():
        found |= Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    return found


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make them now.
    for app_label in EDITOR:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editor")
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_workers_and_periodic_runs"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("articles", "0002_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
