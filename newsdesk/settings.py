"""Newsdesk settings.

Everything that differs between a laptop and production is read from the
environment here, and only here. With nothing set, the site runs in
development mode on an SQLite file with a file-based cache that every process shares.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
import redis
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.functional import lazy
from django_prose_editor.config import html_tags

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG=0. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Comments sent without a token (JavaScript off: cached story pages carry none) are offered back to be confirmed.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    "django_prose_editor",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "jobs",
    "pagecache",
    "staff",
    "photos",
    "articles",
    "comments",
    "archive",
    "demo",
]

MIDDLEWARE = [
    "newsdesk.encodings.AcceptEncodingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsdesk.headers.PermissionsPolicyMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "archive.middleware.LegacyRedirectMiddleware",
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pagecache.fragments.FragmentMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "staff.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "articles.context_processors.site",
            ],
        },
    },
]

# Widgets render from the templates above, so that templates/ can override the admin's (split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "newsdesk.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", 60)),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The job worker writes beside the web processes: a transaction takes SQLite's write lock when it
    # begins (and waits up to 20 s for it), rather than failing with "database is locked" when it
    # first writes after another process did.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds a Redis command may take (connecting included) before the page is rendered without the cache.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", 0.5))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsdesk.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsdesk"),
            "OPTIONS": {
                "socket_timeout": REDIS_TIMEOUT,
                "socket_connect_timeout": REDIS_TIMEOUT,
                # A connection Redis dropped (it restarted) is found dead on its next use: retry once, on a
                # new one, rather than fail that request. Timeouts are not retried: the bound above holds.
                "retry_on_error": [redis.ConnectionError],
            },
        }
    }
else:
    # One directory every process on the machine shares (see newsdesk/file_cache.py), at most
    # CACHE_MAX_ENTRIES entries: past that, a third of them, chosen at random, make room.
    CACHES = {
        "default": {
            "BACKEND": "newsdesk.file_cache.FileCache",
            "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", 5000)), "CULL_FREQUENCY": 3},
        }
    }
# Fragments (pagecache/fragments.py) come by the dozen per page: in a cache of their own, making room for
# them never drops whole pages (nor the tags' versions, counters and locks). Redis holds both in one server
# (each entry expires by itself; with a maxmemory limit, set an LRU policy); the file cache gets a directory
# of its own, of FRAGMENT_CACHE_MAX_ENTRIES entries (a home page stores ~50, a story page ~5).
CACHES["fragments"] = {
    **CACHES["default"],
    **(
        {}
        if REDIS_URL
        else {
            "LOCATION": str(Path(CACHES["default"]["LOCATION"]) / "fragments"),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_MAX_ENTRIES", 20000)), "CULL_FREQUENCY": 3},
        }
    ),
}

# Whole pages for anonymous readers (pagecache/): kept in the cache until what they show
# changes or PAGE_CACHE_SECONDS pass (0 turns the page cache off); browsers and a CDN may keep
# them PAGE_MAX_AGE and CDN_MAX_AGE seconds.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
# A stale page (expired, or made stale by a change) is kept this much longer, to be served while one
# request rebuilds it (pagecache/middleware.py).
PAGE_STALE_SECONDS = int(os.environ.get("PAGE_STALE_SECONDS", 60))
# Pieces of pages (story cards, comment threads, photos; pagecache/fragments.py) are kept in the cache
# this long at most, and used only while what they show is unchanged (0 turns them off).
FRAGMENT_SECONDS = int(os.environ.get("FRAGMENT_SECONDS", 86400))
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", 60))
CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", 60))

# Edge caches (Varnish, a CDN) in front of the app: when a change commits, the pages that show it
# are purged by tag at each of these addresses, by the purger class EDGE_PURGER (pagecache/edge.py).
EDGE_PURGE_URLS = env_list("EDGE_PURGE_URLS", [])
EDGE_PURGER = os.environ.get("EDGE_PURGER", "pagecache.edge.VarnishPurger")
EDGE_PURGE_TIMEOUT = float(os.environ.get("EDGE_PURGE_TIMEOUT", 2))

# bench/run measures the framework's ceiling with a constant response at /bench/ping/.
BENCH_PING = env_bool("BENCH_PING", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff two-factor sign-in (staff/two_factor.py): members of these groups (e.g. "Editor") must set it up
# before they can do anything in the admin; anyone on the staff may.
STAFF_2FA_REQUIRED_GROUPS = env_list("STAFF_2FA_REQUIRED_GROUPS", [])
# Administrators may remove a lost device in the admin, never read its secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The site's one language: every page, email and admin screen is in it (translations live in
# locale/ for the templates and in each app's locale/); right-to-left languages get dir="rtl".
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The house date formats (newsdesk/formats/<language>/formats.py) before Django's own.
FORMAT_MODULE_PATH = ["newsdesk.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the root of the site by WhiteNoise, where browsers look for them (/favicon.ico).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# The story editor's own extensions, embeds and the field's label (static/js/body-editor.js). Stored
# bodies are cleaned by articles/sanitize.py with bleach; the editor's allowlist only describes them.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("js/body-editor.js")],
        "extensions": {
            "Embed": html_tags(["figure"], {"figure": ["data-embed", "data-id", "data-url"]}),
            "FieldLabel": html_tags([]),
        },
    }
]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Serve uploaded media from Django itself: fine for development and the demo,
# production puts media on object storage or a web server instead.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# Originals of uploaded photos, with their metadata: kept, but never served.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "photos.storage.PrivateMediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: refuse bodies and files that would tie up a worker.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Files bigger than FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file;
# DATA_UPLOAD_MAX_MEMORY_SIZE does not count them. Photos have their own limits.
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 50_000_000))
PHOTO_RENDITION_WIDTHS = sorted(
    int(w) for w in env_list("PHOTO_RENDITION_WIDTHS", ["320", "640", "960", "1280", "1920"])
)

# HTTPS and browser hardening (graded A+ on Mozilla's HTTP Observatory rules: tests/security/).
# Behind TLS, production sets SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS (two years), its
# subdomains and preload flags: see the README's production block.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _origin(url):
    """The scheme and host of an absolute URL setting (media on object storage, static on a CDN), else None."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0]}" if rest else None


# The players of the embed providers (articles/embeds.py): the only frames a page may load.
# articles/checks.py fails when a provider's player is missing here.
EMBED_PLAYER_ORIGINS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://platform.twitter.com",
    "https://www.instagram.com",
    "https://www.tiktok.com",
    "https://www.facebook.com",
    "https://open.spotify.com",
    "https://w.soundcloud.com",
    "https://datawrapper.dwcdn.net",
    "https://flo.uri.sh",
    "https://www.google.com",
]
_ASSET_ORIGINS = [origin for origin in map(_origin, [STATIC_URL, MEDIA_URL]) if origin]
# django-csp: one policy for every page, the admin included. Nothing inline runs: scripts are
# static files, and the one inline script there is (the story editor's import map) carries the
# request's nonce (articles/admin.py), which django-csp adds to script-src on the pages that use
# one. default-src 'none' so that anything not listed is refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'", *_ASSET_ORIGINS, NONCE],
        "style-src": ["'self'", *_ASSET_ORIGINS],
        "img-src": ["'self'", *_ASSET_ORIGINS],
        "font-src": ["'self'", *_ASSET_ORIGINS],
        "connect-src": ["'self'"],
        # The web app manifest (site_head.html): without this, default-src refuses it.
        "manifest-src": ["'self'"],
        "frame-src": EMBED_PLAYER_ORIGINS,
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if SECURE_SSL_REDIRECT else {}),
    }
}
# Browser features no page uses are off; the embeds' players may go full screen and play video.
_PLAYERS = " ".join(f'"{origin}"' for origin in EMBED_PLAYER_ORIGINS)
PERMISSIONS_POLICY = {
    "accelerometer": "",
    "autoplay": "",
    "bluetooth": "",
    "browsing-topics": "",
    "camera": "",
    "display-capture": "",
    "encrypted-media": f"self {_PLAYERS}",
    "fullscreen": f"self {_PLAYERS}",
    "geolocation": "",
    "gyroscope": "",
    "hid": "",
    "magnetometer": "",
    "microphone": "",
    "midi": "",
    "payment": "",
    "picture-in-picture": f"self {_PLAYERS}",
    "publickey-credentials-get": "self",
    "serial": "",
    "usb": "",
}

# Who the client is, behind the site's own proxies (newsdesk/clientip.py): the header a proxy
# writes (e.g. HTTP_X_FORWARDED_FOR), read only from peers in TRUSTED_PROXIES, and how many
# proxies in a row append to it (a CDN, then a load balancer: 2).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.0/8", "::1/128"])
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", 1))
if TRUSTED_PROXY_HOPS < 1:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS counts the proxies in front of the site: 1 or more.")

# Admin log-in guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is locked out for AXES_COOLOFF_HOURS, or until staff unlock it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsdesk.clientip.client_ip"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# The newsroom itself: shown in the masthead, feeds and metadata.
SITE_NAME = os.environ.get("SITE_NAME", "The Newsdesk")
# The name the authenticator app shows next to a staff member's two-factor codes.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER") or SITE_NAME
SITE_TAGLINE = os.environ.get("SITE_TAGLINE", "Independent news, every day")
# The name under the icon when a reader adds the site to a phone's home screen, and the colour of the browser's bar.
SITE_SHORT_NAME = os.environ.get("SITE_SHORT_NAME", SITE_NAME)
SITE_THEME_COLOR = os.environ.get("SITE_THEME_COLOR", "#a3122a")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

PAGE_SIZE = int(os.environ.get("PAGE_SIZE", 20))
# How often a reader's page of a live story asks for new updates: never more often than every 15 s.
LIVE_POLL_SECONDS = max(15, int(os.environ.get("LIVE_POLL_SECONDS", 30)))

# Discovery: the publisher logo (a static file) in structured data, how many
# stories a feed and a sitemap page carry, how deep search results go, and
# the windows of the Google News sitemap and of "Most read".
SITE_LOGO = os.environ.get("SITE_LOGO", "img/logo.png")
# The picture social sites and search engines show for a page without a photo of its own (a static
# file, 1200 × 675 or larger), and the site's account on X/Twitter (twitter:site), e.g. "@newsdesk".
SITE_IMAGE = os.environ.get("SITE_IMAGE", "img/social.png")
TWITTER_SITE = os.environ.get("TWITTER_SITE", "")
NEWS_LANGUAGE = os.environ.get("NEWS_LANGUAGE", LANGUAGE_CODE.split("-")[0])
FEED_SIZE = int(os.environ.get("FEED_SIZE", 30))
SITEMAP_LIMIT = int(os.environ.get("SITEMAP_LIMIT", 5000))
SEARCH_MAX_PAGES = int(os.environ.get("SEARCH_MAX_PAGES", 50))
SEARCH_RANK_WINDOW = int(os.environ.get("SEARCH_RANK_WINDOW", 200))
# PostgreSQL text-search configuration; empty: the one for LANGUAGE_CODE (articles/search_language.py).
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "")
NEWS_SITEMAP_HOURS = int(os.environ.get("NEWS_SITEMAP_HOURS", 48))
MOST_READ_HOURS = int(os.environ.get("MOST_READ_HOURS", 24))
MOST_READ_CANDIDATE_DAYS = int(os.environ.get("MOST_READ_CANDIDATE_DAYS", 7))
# Key of the hourly hashes that count each reader once per story per hour (articles/popularity.py).
READS_KEY = hashlib.sha256(f"newsdesk-reads:{SECRET_KEY}".encode()).hexdigest()

# Reader comments. IP addresses are only ever stored as keyed hashes; the key
# defaults to one derived from SECRET_KEY (rotating that regroups old hashes).
COMMENTS_IP_SALT = (
    os.environ.get("COMMENTS_IP_SALT") or hashlib.sha256(f"newsdesk-comments-ip:{SECRET_KEY}".encode()).hexdigest()
)
# At most COMMENTS_RATE_LIMIT posts per COMMENTS_RATE_WINDOW seconds, per IP (an IPv6 /64) and
# per email, and COMMENTS_NETWORK_RATE_LIMIT per IPv4 /24 or IPv6 /48; the same for reports.
COMMENTS_RATE_LIMIT = int(os.environ.get("COMMENTS_RATE_LIMIT", 5))
COMMENTS_NETWORK_RATE_LIMIT = int(os.environ.get("COMMENTS_NETWORK_RATE_LIMIT", 20))
# Reports on one comment stored at most: at the cap it is marked for moderators, and more are not stored.
COMMENTS_REPORT_CAP = int(os.environ.get("COMMENTS_REPORT_CAP", 10))
COMMENTS_RATE_WINDOW = int(os.environ.get("COMMENTS_RATE_WINDOW", 600))
COMMENTS_MAX_LENGTH = int(os.environ.get("COMMENTS_MAX_LENGTH", 3000))
COMMENTS_MAX_LINKS = int(os.environ.get("COMMENTS_MAX_LINKS", 2))
# A banned commenter's new comments are refused with a polite message, or (when set) quietly go to spam.
COMMENTS_BANNED_SILENTLY = env_bool("COMMENTS_BANNED_SILENTLY", False)
# Readers' notification emails: Django's SMTP backend, tried this many times before giving up.
COMMENTS_EMAIL_ATTEMPTS = int(os.environ.get("COMMENTS_EMAIL_ATTEMPTS", 5))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "comments@newsdesk.invalid")

# Background jobs (jobs/): Django's task API on a queue in the database, run by `manage.py run_worker`,
# which gunicorn starts beside itself (newsdesk/gunicorn.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# For scale-out, a Redis for the queue (RQ through django-tasks-rq): e.g. redis://127.0.0.1:6379/2.
TASKS_BROKER_URL = os.environ.get("TASKS_BROKER_URL", "")
if TASKS_BROKER_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "jobs.rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": TASKS_BROKER_URL, "DEFAULT_TIMEOUT": 3600}}
# A failed job is tried again after TASKS_RETRY_BACKOFF seconds, then twice that, and so on (at most an hour).
TASKS_RETRY_BACKOFF = float(os.environ.get("TASKS_RETRY_BACKOFF", 30))
# Workers say they are alive every TASKS_HEARTBEAT_SECONDS; the jobs of one not seen for
# TASKS_WORKER_TIMEOUT seconds go back to the queue.
TASKS_HEARTBEAT_SECONDS = float(os.environ.get("TASKS_HEARTBEAT_SECONDS", 5))
TASKS_WORKER_TIMEOUT = float(os.environ.get("TASKS_WORKER_TIMEOUT", 60))
# How often a worker copies the "Most read" counters into the database.
MOST_READ_FLUSH_SECONDS = int(os.environ.get("MOST_READ_FLUSH_SECONDS", 300))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
