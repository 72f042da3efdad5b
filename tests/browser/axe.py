"""axe-core, the accessibility checker, fetched from the npm registry and cached (never committed).

CI fetches it before the tests with ``python -m tests.browser.axe``; locally the
first accessibility test fetches it when npm is there.
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.14.1"
CACHE = Path.home() / ".cache" / "newsdesk" / f"axe-core-{AXE_VERSION}"
SCRIPT = CACHE / "axe.min.js"
# The rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Unavailable(Exception):
    """axe-core is not cached and cannot be fetched here."""


def axe_script():
    """The path of axe.min.js, packed from the registry by npm on first use."""
    if SCRIPT.exists():
        return SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable(f"axe-core {AXE_VERSION} is not cached in {CACHE} and npm is not installed to fetch it")
    with tempfile.TemporaryDirectory() as workdir:
        try:
            packed = subprocess.run(
                [npm, "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination", workdir],
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            ).stdout.split()[-1]
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise Unavailable(f"npm could not fetch axe-core {AXE_VERSION}: {error}") from error
        with tarfile.open(Path(workdir) / packed) as archive:
            member = archive.extractfile("package/axe.min.js")
            CACHE.mkdir(parents=True, exist_ok=True)
            partial = SCRIPT.with_suffix(".part")
            partial.write_bytes(member.read())
            partial.replace(SCRIPT)
    return SCRIPT


if __name__ == "__main__":
    try:
        print(axe_script())
    except Unavailable as error:
        sys.exit(str(error))
