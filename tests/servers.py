"""Real servers a test (or a benchmark) starts for itself and stops: PostgreSQL, Redis and gunicorn.

Each listens on 127.0.0.1 on a free port and keeps its files in its own
temporary directory, so the machine's shared PostgreSQL and Redis are never
touched, and a test may stop and restart them at will.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for_port(port, process=None, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.1).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited with {process.returncode}") from None
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} within {seconds} s")


class RedisServer:
    def __init__(self, directory):
        self.directory, self.port = directory, free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://{HOST}:{self.port}/0"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen([*command, "--dir", str(self.directory)], stdout=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, seconds=10)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a test may have frozen it
            self.stop()


def postgres_bin():
    """The newest PostgreSQL server's programs on this machine (Debian keeps them per version), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(re.sub(r"\D", "", p.parts[-3])))
    return found[-1].parent if found else None


class PostgresServer:
    """A throwaway cluster (initdb) made for speed, not durability: fsync off.

    PostgreSQL refuses to run as root, so as root its files belong to the
    ``postgres`` system user and its programs run as that user.
    """

    def __init__(self):
        self.bin = postgres_bin()
        self.directory = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.directory, self.user)

    def url(self, database="newsdesk"):
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def _run(self, program, *args):
        subprocess.run([str(self.bin / program), *args], user=self.user, check=True, capture_output=True)

    def start(self):
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -c listen_addresses={HOST} -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.directory / "log"), "-w", "start")

    def stop(self):
        """A fast shutdown: open connections are cut, as in a restart or a failover."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name="newsdesk"):
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", name)

    def close(self):
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class Site:
    """The site as production runs it: gunicorn with newsdesk/gunicorn.py, DEBUG off, on PostgreSQL and Redis."""

    def __init__(self, database_url, redis_url, workdir, **env):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": f"site-{self.port}",
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            "GUNICORN_ACCESSLOG": "",
            "LOG_LEVEL": "ERROR",
            **env,
        }
        self.process = None

    def manage(self, *args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def prepare(self, stories=100):
        """Migrate, collect the static files (hashed, as DEBUG off needs) and make ``stories`` stories."""
        self.manage("collectstatic", "--noinput", "-v0")
        prepared = subprocess.run(
            [sys.executable, "bench/prepare.py", str(stories)], cwd=ROOT, env=self.env, check=True, capture_output=True
        )
        return json.loads(prepared.stdout.decode().strip().splitlines()[-1])["urls"]

    def start(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "newsdesk/gunicorn.py",
            "--no-control-socket",
            "newsdesk.wsgi",
        ]
        self.log = open(self.workdir / "gunicorn.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        wait_for_port(self.port, self.process)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
            self.log.close()

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def get(self, path, timeout=10):
        """(status, headers, body) of a GET; an HTTP error status is an answer too."""
        return self.request(urllib.request.Request(self.url(path)), timeout)

    def post(self, path, fields, timeout=10):
        request = urllib.request.Request(
            self.url(path), data=urlencode(fields).encode(), headers={"Origin": f"http://{HOST}:{self.port}"}
        )
        return self.request(request, timeout)

    @staticmethod
    def request(request, timeout):
        opener = urllib.request.build_opener(NoRedirects)
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()
        except OSError as error:
            return None, {}, str(error).encode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer a test looks at (a posted comment redirects to its story)."""

    def redirect_request(self, *args, **kwargs):
        return None


@contextlib.contextmanager
def running_site(stories=100, **env):
    """PostgreSQL, Redis and the site on them, with ``stories`` stories: yields (site, postgres, redis, urls)."""
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-site-"))
    postgres, redis = PostgresServer(), RedisServer(workdir)
    site = None
    try:
        postgres.start()
        postgres.create_database()
        redis.start()
        site = Site(postgres.url(), redis.url, workdir, **env)
        urls = site.prepare(stories)
        site.start()
        yield site, postgres, redis, urls
    finally:
        if site is not None:
            site.stop()
        redis.close()
        postgres.close()
        shutil.rmtree(workdir, ignore_errors=True)
