"""The Nu Html Checker (vnu.jar, from the npm package ``vnu-jar``), fetched and cached like axe-core.

CI fetches it before the tests with ``python -m tests.vnu``. It runs on the
machine's Java; starting a JVM takes seconds, so ``check`` validates many
documents in one run.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.npm_cache import Unavailable, packed_file

VNU_VERSION = "26.9.27"


def vnu_jar():
    return packed_file("vnu-jar", VNU_VERSION, "build/dist/vnu.jar")


def check(documents):
    """{name: [error message, ...]} for {name: HTML bytes or text}; a name with no errors maps to []."""
    java = shutil.which("java")
    if java is None:
        raise Unavailable("java is not installed (Debian: default-jre-headless)")
    jar = vnu_jar()
    with tempfile.TemporaryDirectory() as workdir:
        paths = {}
        for number, (name, content) in enumerate(documents.items()):
            path = Path(workdir) / f"{number}.html"
            path.write_bytes(content.encode() if isinstance(content, str) else content)
            paths[str(path)] = name
        run = subprocess.run(
            [java, "-Xss16m", "-jar", str(jar), "--format", "json", "--exit-zero-always", *sorted(paths)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    report = json.loads(run.stderr or run.stdout)
    errors = {name: [] for name in documents}
    for message in report["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            line = message.get("lastLine", "?")
            errors[paths[message["url"].removeprefix("file:")]].append(
                f"line {line}: {message['message']} {message.get('extract', '')!r}"
            )
    return errors


if __name__ == "__main__":
    try:
        print(vnu_jar())
    except Unavailable as error:
        sys.exit(str(error))
