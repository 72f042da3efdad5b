"""Run wrk against one address and read its report: requests/s, latency percentiles (ms) and errors."""

import re
import shutil
import subprocess
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing; installing Debian's package (apt-get install -y wrk).", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)


def wrk(url, threads, connections, duration):
    """Every error wrk counts is one: a non-2xx/3xx answer, a failed connect, read or write, a timeout."""
    # Every browser asks for gzip; the page cache and WhiteNoise answer it.
    gzip_please = ["-H", "Accept-Encoding: gzip"]
    command = ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{duration}s", *gzip_please, url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = {
        int(p): float(value) * UNITS[unit]
        for p, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    kinds = dict.fromkeys(["non-2xx/3xx", "connect", "read", "write", "timeout"], 0)
    kinds["non-2xx/3xx"] = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", output):
        kinds[kind] += int(n)
    requests = int(re.search(r"(\d+) requests in", output)[1])
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    return {
        "requests": requests,
        "rps": rate,
        "p50": percentiles[50],
        "p90": percentiles[90],
        "p99": percentiles[99],
        "errors": sum(kinds.values()),
        "error_kinds": {kind: n for kind, n in kinds.items() if n},
    }
