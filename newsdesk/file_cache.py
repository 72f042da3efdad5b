"""Django's file-based cache, with counters that several processes can share.

The embedded default (no Redis): every process on the machine (gunicorn
workers, a shell, ``flush_most_read``) reads and writes one directory, so a
change made in one is seen by the others' next request. Django's own
``incr()`` is a read then a write: two processes counting at once lose a
count, and the write starts the entry over with the default timeout, which
would drop a "Most read" counter minutes after its last read. Here ``add()``
and ``incr()`` hold one lock file and keep the entry's expiry; readers never
see a half-written file because every write replaces the file whole. And
``set_many()`` makes room (culls) once for all its entries, not once each.
"""

import os
import pickle
import tempfile
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class FileCache(FileBasedCache):
    # Set while set_many() writes: the directory was culled once for all its entries.
    _culled = False

    def _cull(self):
        if not self._culled:
            super()._cull()

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Cull once for the lot: each cull lists the whole directory, and a page's fragments come by the dozen."""
        self._createdir()
        self._cull()
        self._culled = True
        try:
            return super().set_many(data, timeout, version)
        finally:
            self._culled = False

    def _counter_lock(self):
        self._createdir()
        return open(os.path.join(self._dir, "counters.lock"), "ab")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._counter_lock() as lock:
            locks.lock(lock, locks.LOCK_EX)
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        name = self._key_to_file(key, version)
        with self._counter_lock() as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                with open(name, "rb") as file:
                    expiry = pickle.load(file)
                    value = pickle.loads(zlib.decompress(file.read()))
            except (FileNotFoundError, EOFError):
                expiry, value = 0, None
            if value is None or (expiry is not None and expiry < time.time()):
                raise ValueError(f"Key '{key}' not found")
            value += delta
            descriptor, temporary = tempfile.mkstemp(dir=self._dir)
            with open(descriptor, "wb") as file:
                file.write(pickle.dumps(expiry, self.pickle_protocol))
                file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            os.replace(temporary, name)
            return value
