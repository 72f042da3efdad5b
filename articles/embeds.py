"""Third-party embeds in a story body: the providers the newsroom accepts, and how each is shown.

An embed is stored in the body as ``<figure data-embed="youtube" data-id="…"
data-url="…"></figure>``: the provider, the id taken from the address, and
the address the editor pasted. No third-party HTML is ever stored, and
nothing is fetched from the provider when a story is saved. Pages render a
facade: a link to the original, which a reader's click turns into the
provider's player in a sandboxed frame.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

# At most this many embeds in one story: each is a third-party frame a reader may load.
MAX_EMBEDS = 50


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    hosts: frozenset
    # Regular expressions on "path?query"; the named group ``id`` is what is stored.
    patterns: tuple
    player: str
    verb: str = _("View")

    def match(self, url):
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        for pattern in self.patterns:
            # ASCII: an id is digits 0-9 and letters a-z; "\d" and "\w" would take any script's.
            found = re.fullmatch(pattern, target, re.ASCII)
            if found:
                return found.group("id")
        return None

    def player_url(self, embed_id):
        return self.player.format(id=embed_id, quoted=quote(embed_id, safe="/"))


def _hosts(*names):
    return frozenset(names)


_QUERY_TAIL = r"(?:[?&#].*)?"
PROVIDERS = (
    Provider(
        "youtube",
        "YouTube",
        _hosts("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"),
        (
            r"/watch\?(?:.*&)?v=(?P<id>[\w-]{11})(?:&.*)?",
            r"/(?:embed|shorts|live)/(?P<id>[\w-]{11})/?" + _QUERY_TAIL,
            r"/(?P<id>[\w-]{11})/?" + _QUERY_TAIL,
        ),
        "https://www.youtube-nocookie.com/embed/{id}",
        verb=_("Watch"),
    ),
    Provider(
        "vimeo",
        "Vimeo",
        _hosts("vimeo.com", "www.vimeo.com", "player.vimeo.com"),
        (r"/(?:video/)?(?P<id>\d{1,12})/?" + _QUERY_TAIL,),
        "https://player.vimeo.com/video/{id}?dnt=1",
        verb=_("Watch"),
    ),
    Provider(
        "x",
        "X (Twitter)",
        _hosts("x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"),
        (r"/\w{1,15}/status(?:es)?/(?P<id>\d{1,20})/?" + _QUERY_TAIL,),
        "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
    ),
    Provider(
        "instagram",
        "Instagram",
        _hosts("instagram.com", "www.instagram.com"),
        (r"/(?:[\w.]{1,30}/)?(?:p|reel|tv)/(?P<id>[\w-]{5,40})/?" + _QUERY_TAIL,),
        "https://www.instagram.com/p/{id}/embed/",
    ),
    Provider(
        "tiktok",
        "TikTok",
        _hosts("tiktok.com", "www.tiktok.com", "m.tiktok.com"),
        (r"/@[\w.-]{1,40}/video/(?P<id>\d{1,25})/?" + _QUERY_TAIL, r"/embed/v2/(?P<id>\d{1,25})/?" + _QUERY_TAIL),
        "https://www.tiktok.com/embed/v2/{id}",
        verb=_("Watch"),
    ),
    Provider(
        "facebook",
        "Facebook",
        _hosts("facebook.com", "www.facebook.com", "m.facebook.com"),
        (r"/(?P<id>[\w.-]{1,80}/(?:posts|videos)/[\w.-]{1,40})/?" + _QUERY_TAIL,),
        "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F{quoted}",
    ),
    Provider(
        "spotify",
        "Spotify",
        _hosts("open.spotify.com"),
        (r"/(?:embed/)?(?P<id>(?:track|album|playlist|episode|show|artist)/[A-Za-z0-9]{22})/?" + _QUERY_TAIL,),
        "https://open.spotify.com/embed/{id}",
        verb=_("Listen"),
    ),
    Provider(
        "soundcloud",
        "SoundCloud",
        _hosts("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"),
        (r"/(?P<id>[\w-]{1,60}/(?:sets/)?[\w-]{1,120})/?" + _QUERY_TAIL,),
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2F{quoted}",
        verb=_("Listen"),
    ),
    Provider(
        "datawrapper",
        "Datawrapper",
        _hosts("datawrapper.dwcdn.net", "app.datawrapper.de"),
        (r"/(?:chart/)?(?P<id>[A-Za-z0-9]{5})(?:/.*)?" + _QUERY_TAIL,),
        "https://datawrapper.dwcdn.net/{id}/",
    ),
    Provider(
        "flourish",
        "Flourish",
        _hosts("public.flourish.studio", "flo.uri.sh"),
        (r"/(?P<id>(?:visualisation|story)/\d{1,12})(?:/.*)?" + _QUERY_TAIL,),
        "https://flo.uri.sh/{id}/embed",
    ),
    Provider(
        "googlemaps",
        "Google Maps",
        _hosts("www.google.com", "google.com", "maps.google.com"),
        (r"/maps/embed\?pb=(?P<id>[\w!.:%*-]{1,2000})",),
        "https://www.google.com/maps/embed?pb={id}",
    ),
)
BY_SLUG = {provider.slug: provider for provider in PROVIDERS}
SUPPORTED = ", ".join(provider.name for provider in PROVIDERS)
# Words in a host that say it pretends to be a provider: youtube.com.evil.example.
_LOOKALIKE = re.compile(
    r"youtube|youtu\.be|vimeo|twitter|instagram|tiktok|facebook|spotify|soundcloud|datawrapper|flourish|google"
)


class EmbedError(ValueError):
    """An address the newsroom will not embed; the message says why and lists what it will."""


@dataclass(frozen=True)
class Embed:
    provider: Provider
    id: str
    url: str

    def as_stored(self):
        attrs = f'data-embed="{self.provider.slug}" data-id="{html.escape(self.id)}" data-url="{html.escape(self.url)}"'
        return f"<figure {attrs}></figure>"

    def render(self):
        return render_to_string(
            "articles/includes/embed.html",
            {"embed": self, "player_url": self.provider.player_url(self.id)},
        )


def refuse(reason):
    accepted = _("Embeds are accepted from: %(providers)s. Paste the post's address on a line of its own.")
    raise EmbedError(f"{reason} {accepted % {'providers': SUPPORTED}}")


def parse(url):
    """The embed an address stands for, or EmbedError explaining why it cannot be embedded."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        refuse(_("“%(url)s” is not a web address.") % {"url": url[:100]})
    if parts.scheme not in ("http", "https"):
        refuse(_("“%(url)s” is not an http or https address.") % {"url": url[:100]})
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or parts.port not in (None, 80, 443):
        refuse(_("“%(url)s” carries a user name or port, which no provider's address does.") % {"url": url[:100]})
    for provider in PROVIDERS:
        if host in provider.hosts:
            embed_id = provider.match(url)
            if embed_id is None:
                not_a_post = _("“%(url)s” is a %(provider)s address, but not one of a post that can be embedded.")
                refuse(not_a_post % {"url": url[:100], "provider": provider.name})
            return Embed(provider, embed_id, url)
    refuse(_("“%(host)s” is not a supported embed provider.") % {"host": host or url[:100]})


def looks_like_provider(url):
    """Whether a lone address names a provider, exactly or as a lookalike, so that it was meant as an embed."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return False
    return any(host in provider.hosts for provider in PROVIDERS) or bool(_LOOKALIKE.search(host))


def iframe_url(attrs):
    """The address an embed code's iframe points at."""
    src = dict(attrs).get("src") or ""
    if src.startswith("//"):
        src = "https:" + src
    if "youtube-nocookie.com" in src or "player.vimeo.com" in src:
        return src
    query = parse_qs(urlsplit(src).query)
    # SoundCloud's and Facebook's players carry the original address in a parameter.
    for key in ("url", "href"):
        if key in query:
            return query[key][0]
    return src


_STORED = re.compile(r"<figure\b([^>]*\bdata-embed=[^>]*)>\s*</figure>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def render_stored(body):
    """The body with each stored embed replaced by its facade; a figure that no longer parses becomes a link."""
    if "data-embed" not in body:
        return body

    def facade(found):
        attrs = {name: html.unescape(value) for name, value in _ATTR.findall(found.group(1))}
        try:
            return parse(attrs.get("data-url", "")).render()
        except EmbedError:
            return ""

    return _STORED.sub(facade, body)
