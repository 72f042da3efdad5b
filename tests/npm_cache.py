"""Checkers the tests run (axe-core, the Nu Html Checker), packed from the npm registry by npm and
cached under ~/.cache/newsdesk, never committed: each is pinned to one version."""

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

CACHE_ROOT = Path.home() / ".cache" / "newsdesk"


class Unavailable(Exception):
    """The package is not cached and cannot be fetched here."""


def packed_file(package, version, member):
    """The path of ``member`` (a path inside the package) of ``package@version``, fetched on first use."""
    target = CACHE_ROOT / f"{package}-{version}" / Path(member).name
    if target.exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable(f"{package} {version} is not cached in {target.parent} and npm is not installed to fetch it")
    with tempfile.TemporaryDirectory() as workdir:
        try:
            packed = subprocess.run(
                [npm, "pack", f"{package}@{version}", "--silent", "--pack-destination", workdir],
                check=True,
                capture_output=True,
                text=True,
                timeout=300,
            ).stdout.split()[-1]
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise Unavailable(f"npm could not fetch {package} {version}: {error}") from error
        with tarfile.open(Path(workdir) / packed) as archive:
            content = archive.extractfile(f"package/{member}").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(target)
    return target
