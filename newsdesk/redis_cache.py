"""Django's Redis cache backend, keeping one redis-py client per connection pool, and watching keys.

Django's backend builds a new ``redis.Redis`` for every cache call, and
redis-py fills a table of some 170 response callbacks each time: as much work
as the network round trip of a page-cache hit. A client is safe to share
between threads (its pool hands out the connections), so one per pool will do.

``watch(*keys)`` remembers readings of a few keys that change rarely and are
read on every request (the page cache's generation and clock) for as long as
Redis reports no change to them, so that reading them costs no round trip.
"""

import os
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = super().get_client(key, write=write)
        return self._clients[index]


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._watches = {}

    def watch(self, *keys):
        """The KeyWatch of these keys (one per backend, which Django keeps per thread)."""
        if keys not in self._watches:
            pool = self._cache.get_client(write=True).connection_pool
            self._watches[keys] = KeyWatch(pool.connection_kwargs, [self.make_and_validate_key(key) for key in keys])
        return self._watches[keys]


class KeyWatch:
    """A reading of some keys that stands while Redis reports no change to any of them.

    Redis's client-side caching support (``CLIENT TRACKING``, broadcasting
    mode) sends a message on a connection of this process whenever one of the
    keys is written, expires, is evicted or flushed, before it answers anything
    else; a lost connection shows the same way. So while that connection has
    nothing to read, the last reading stands, and reading it is one ``poll``,
    not a round trip. A change made by any process is seen by this one's next
    request, as with a round trip. A reading stands at most half the socket
    timeout: a Redis that stops answering without closing its connections is
    noticed (the next read times out) before a change made meanwhile (whose
    write waits out the timeout) has been committed in full.

    redis-py's own client-side cache needs Redis 7.4 and copies each value on
    every hit; this watches only the keys it is given.
    """

    def __init__(self, connection_kwargs, names):
        self.connection_kwargs = {**connection_kwargs, "protocol": 3}
        self.names = names
        self.standing = (connection_kwargs.get("socket_timeout") or 0.5) / 2
        self.lock = threading.Lock()
        self.connection = None
        self.pid = None
        self.reading = None
        self.read_at = 0.0

    def get(self, read):
        """The last value of ``read()`` while it stands (never to be changed by the caller), else ``read()``'s."""
        with self.lock:
            now = time.monotonic()
            if self.reading is not None and now < self.read_at + self.standing and self.quiet():
                return self.reading
            self.reading = None
            # Watching before reading: a change made between the two is reported, not missed.
            watching = self.listening() and self.quiet()
            reading = read()
            if watching and self.quiet():
                self.reading, self.read_at = reading, now
            return reading

    def listening(self):
        """Whether this process has a connection on which Redis reports changes to the keys."""
        if self.connection is not None and self.pid == os.getpid():
            return True
        self.connection, self.pid = None, os.getpid()  # A forked worker never reads its parent's connection.
        connection = redis.Connection(**self.connection_kwargs)
        try:
            connection.connect()
            prefixes = [part for name in self.names for part in ("PREFIX", name)]
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", *prefixes)
            connection.read_response()
        except redis.RedisError:
            connection.disconnect()
            return False
        self.connection = connection
        return True

    def quiet(self):
        """True if Redis has reported nothing since the last call; what it reported is read and forgotten."""
        if self.connection is None or self.pid != os.getpid():
            return False
        try:
            if not self.connection.can_read(timeout=0):
                return True
            while self.connection.can_read(timeout=0):
                self.connection.read_response(push_request=True)
        except (redis.RedisError, OSError):
            self.connection.disconnect()
            self.connection = None
        return False
