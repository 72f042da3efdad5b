"""Section slugs against the site's own addresses, and embed players against the site's CSP.

A section lives at ``/<slug>/``; a slug that is also the first part of one of
the site's own addresses (``/search/``, ``/feeds/...``, ``/admin/``) would hide
the section or the site's page, whichever the URLconf tries first.

An embed provider whose player's origin is not in ``EMBED_PLAYER_ORIGINS``
(the CSP's frame-src) would show readers a refused frame.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.urls import URLResolver, get_resolver


def site_paths():
    """The literal first path segments of the URLconf, and of the static and media URLs served beside it."""
    found = {url.strip("/").split("/")[0] for url in (settings.STATIC_URL, settings.MEDIA_URL) if "://" not in url}
    found.update(_first_segments(get_resolver().url_patterns))
    found.discard("")
    return found


def _first_segments(patterns):
    for pattern in patterns:
        route = str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver) and route == "":
            yield from _first_segments(pattern.url_patterns)
            continue
        segment = route.split("/")[0]
        if segment and not any(character in segment for character in "<>()[]?*+\\$^{}|"):
            yield segment


def section_slugs_clash_with_site_paths(app_configs=None, databases=None, **kwargs):
    """Warn about sections saved before a site address took their slug (the slug validator refuses new ones)."""
    from .models import Section

    if not databases:
        return []
    reserved = site_paths()
    try:
        clashing = [
            slug
            for alias in databases
            for slug in Section.objects.using(alias).filter(slug__in=reserved).values_list("slug", flat=True)
        ]
    except DatabaseError:  # not migrated yet
        return []
    return [
        checks.Warning(
            f"Section “{slug}” cannot be reached: /{slug}/ is one of the site's own addresses.",
            hint="Give the section another slug in the admin.",
            obj=f"Section {slug}",
            id="articles.W001",
        )
        for slug in clashing
    ]


def search_index_follows_language(app_configs=None, databases=None, **kwargs):
    """Warn while PostgreSQL's search index was built for another language than the site's (see search_language)."""
    from django.db import connections

    from .search_language import installed_config, known, search_config

    found = []
    wanted = search_config()
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            installed = installed_config(connection)
            exists = known(connection, wanted)
        except DatabaseError:  # not migrated yet
            continue
        if not exists:
            found.append(
                checks.Error(
                    f"PostgreSQL has no text search configuration “{wanted}”.",
                    hint="Set SEARCH_CONFIG to one listed by SELECT cfgname FROM pg_ts_config, or leave it empty.",
                    id="articles.E003",
                )
            )
        elif installed is not None and installed != wanted:
            found.append(
                checks.Warning(
                    f"The search index is built with “{installed}”, the site's language asks for “{wanted}”.",
                    hint="Run manage.py rebuild_search_index.",
                    id="articles.W002",
                )
            )
    return found


def embed_players_allowed_by_csp(app_configs=None, **kwargs):
    from .embeds import PROVIDERS

    missing = {}
    for provider in PROVIDERS:
        parts = urlsplit(provider.player)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in settings.EMBED_PLAYER_ORIGINS:
            missing.setdefault(origin, provider.name)
    return [
        checks.Error(
            f"The {name} player ({origin}) is not in EMBED_PLAYER_ORIGINS: the CSP would refuse its frame.",
            hint="Add the origin to EMBED_PLAYER_ORIGINS in newsdesk/settings.py.",
            id="articles.E002",
        )
        for origin, name in missing.items()
    ]
