from django.db import migrations

from newsdesk.group_permissions import grant


def codenames(*models, actions=("add", "change", "delete", "view")):
    return [f"{action}_{model}" for model in models for action in actions]


def curation_and_live_updates(apps, schema_editor):
    """Curating front pages and the banner is the editors' alone; reporters post live updates too (and may
    not end live coverage, which takes publish_article)."""
    grant(apps, "articles", "Editor", codenames("frontpage", "placement", "breakingnews", "liveupdate"))
    grant(apps, "articles", "Reporter", codenames("liveupdate", actions=("add", "change", "view")))


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_curation_live_coverage_search_overrides")]

    operations = [migrations.RunPython(curation_and_live_updates, migrations.RunPython.noop)]
