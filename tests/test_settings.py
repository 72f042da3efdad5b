import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings module in a fresh interpreter with the given environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CACHE_DIR", "CACHE_MAX_ENTRIES"}
    }
    clean.update(env)
    script = (
        "import newsdesk.settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.MEDIA_ROOT)"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_development_defaults_need_nothing():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    debug, engine, cache, media = result.stdout.split()
    assert debug == "True"
    assert engine == "django.db.backends.sqlite3"
    assert cache == "newsdesk.file_cache.FileCache"


def test_shared_file_cache_is_placed_and_bounded_from_the_environment(tmp_path):
    script = "import newsdesk.settings as s; c = s.CACHES['default']; print(c['LOCATION'], c['OPTIONS']['MAX_ENTRIES'])"
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "CACHE_DIR"}}

    def run(**extra):
        command = [sys.executable, "-c", script]
        return subprocess.run(command, cwd=ROOT, env={**env, **extra}, capture_output=True, text=True).stdout.split()

    assert run() == [str(ROOT / "cache"), "5000"]
    assert run(CACHE_DIR=str(tmp_path), CACHE_MAX_ENTRIES="700") == [str(tmp_path), "700"]


def test_production_without_secret_key_is_a_clear_error():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG=0" in result.stderr


def test_environment_switches_database_cache_and_media(tmp_path):
    result = load_settings(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsdesk",
        REDIS_URL="redis://127.0.0.1:6379/0",
        MEDIA_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    debug, engine, cache, media = result.stdout.split()
    assert debug == "False"
    assert engine == "django.db.backends.postgresql"
    assert cache == "newsdesk.redis_cache.RedisCache"
    assert media == str(tmp_path)
