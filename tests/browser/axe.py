"""axe-core, the accessibility checker, fetched from the npm registry and cached (never committed).

CI fetches it before the tests with ``python -m tests.browser.axe``; locally the
first accessibility test fetches it when npm is there.
"""

import sys

from tests.npm_cache import Unavailable, packed_file

AXE_VERSION = "4.14.1"
# The rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

__all__ = ["Unavailable", "axe_script"]


def axe_script():
    """The path of axe.min.js, packed from the registry by npm on first use."""
    return packed_file("axe-core", AXE_VERSION, "axe.min.js")


if __name__ == "__main__":
    try:
        print(axe_script())
    except Unavailable as error:
        sys.exit(str(error))
