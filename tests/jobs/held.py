"""Jobs for the tests of the worker itself: one that waits to be let go, one that fails a set number of times."""

import os
import time
from pathlib import Path

from jobs.queue import job


@job(attempts=1)
def held(directory):
    """Say it started (with its pid), wait for the test to let it go, then record that it finished."""
    folder = Path(directory)
    with (folder / "started").open("a") as started:
        started.write(f"{os.getpid()}\n")
    while not (folder / "go").exists():
        time.sleep(0.05)
    with (folder / "done").open("a") as done:
        done.write("done\n")
    return "done"


@job(attempts=3)
def flaky(directory, failures):
    """Fail the first ``failures`` times it runs."""
    tries = Path(directory) / "tries"
    with tries.open("a") as file:
        file.write("x")
    if len(tries.read_text()) <= failures:
        raise ConnectionError("mail server down")
    return "sent"
