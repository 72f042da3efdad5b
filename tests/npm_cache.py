"""Checkers the tests run (axe-core, the Nu Html Checker, Lighthouse), fetched from the npm registry by npm and
cached under ~/.cache/newsdesk, never committed: each is pinned to one version."""

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

CACHE_ROOT = Path.home() / ".cache" / "newsdesk"


class Unavailable(Exception):
    """The package is not cached and cannot be fetched here."""


def _npm(package, version):
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable(f"{package} {version} is not cached in {CACHE_ROOT} and npm is not installed to fetch it")
    return npm


def _run_npm(package, version, *args):
    try:
        return subprocess.run(
            [_npm(package, version), *args], check=True, capture_output=True, text=True, timeout=300
        ).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise Unavailable(f"npm could not fetch {package} {version}: {error}") from error


def packed_file(package, version, member):
    """The path of ``member`` (a path inside the package) of ``package@version``, fetched on first use."""
    target = CACHE_ROOT / f"{package}-{version}" / Path(member).name
    if target.exists():
        return target
    with tempfile.TemporaryDirectory() as workdir:
        packed = _run_npm(
            package, version, "pack", f"{package}@{version}", "--silent", "--pack-destination", workdir
        ).split()[-1]
        with tarfile.open(Path(workdir) / packed) as archive:
            content = archive.extractfile(f"package/{member}").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(target)
    return target


def installed_program(package, version, program):
    """The path of ``program`` of ``package@version`` installed with its dependencies (a tool with many, unlike
    the single files above), on first use: npm's exact version from the registry, no lock file of ours."""
    prefix = CACHE_ROOT / f"{package}-{version}"
    target = prefix / "node_modules" / ".bin" / program
    if target.exists():
        return target
    partial = prefix.parent / f"{prefix.name}.part"
    shutil.rmtree(partial, ignore_errors=True)
    _run_npm(package, version, "install", "--prefix", str(partial), f"{package}@{version}", "--no-audit", "--no-fund")
    shutil.rmtree(prefix, ignore_errors=True)
    partial.replace(prefix)
    return target
