"""How many entries the configured cache holds, whatever its backend: for tests that count what a request adds."""

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router


def stored_keys():
    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        return len(backend._cache)
    if isinstance(backend, FileBasedCache):
        return len(backend._list_cache_files())
    if isinstance(backend, RedisCache):
        return sum(1 for _ in backend._cache.get_client().scan_iter(match=backend.make_key("*")))
    if isinstance(backend, DatabaseCache):
        with connections[router.db_for_read(backend.cache_model_class)].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {backend._table}")
            return cursor.fetchone()[0]
    raise NotImplementedError(f"counting entries of {type(backend).__name__}")
