"""The newsroom workload of ``bench/run --newsroom``: readers at full speed while the newsroom works.

For a fixed time, over real HTTP:

- **readers**: wrk with ``newsroom.lua``, at full speed, asking for the
  ``--newsroom-stories`` newest stories with Zipf-distributed popularity (the
  newest the most read, rank *k* read in proportion to 1/k), the home page
  and the section fronts (STORY_SHARE, HOME_SHARE, SECTIONS_SHARE);
- **an editor**: a member of the Editor group, signed in to the admin, opens
  a story's change form every EDIT_SECONDS (the story drawn by the same
  popularity: the breaking ones get edited), changes its standfirst and
  saves it with "Save and continue editing", as a browser would post it;
- **a moderator**: a member of the Moderator group, on the moderation desk,
  approves the next pending comment every APPROVE_SECONDS, posting the
  card's form as the desk's script does (and loading the desk again when
  its page of cards is done). The pending comments are made beforehand on
  stories drawn by popularity.

What is reported: the readers' requests/s, p50/p99 latency and errors; how
each reader request was served, by the app's page cache (its
``X-Page-Cache`` header: hit, stale, miss) and by Varnish (varnishstat's
``MAIN.cache_hit``/``cache_miss``/``cache_hitpass``/``cache_hitmiss``, and
its ``X-Cache`` header); the editor's and the moderator's own latencies; the
CPU time gunicorn's and varnishd's processes spent per reader request; and
the load average.

``python bench/newsroom.py prepare STORIES COMMENTS`` (run by bench/run with
DATABASE_URL and NEWSROOM_PASSWORD set) makes the two staff accounts and the
pending comments and prints, as JSON, what the workload needs.
"""

import collections
import http.cookiejar
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import lxml.html
import wrk_report

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
ZIPF_EXPONENT = 1.0
STORY_SHARE, HOME_SHARE, SECTIONS_SHARE = 0.85, 0.10, 0.05
EDIT_SECONDS = 5
APPROVE_SECONDS = 1
EDITOR, MODERATOR = "newsroom-editor", "newsroom-moderator"
# The app as the readers' gunicorn serves it: each response says how long the app took (bench/timed_wsgi.py).
TIMED_APP = "bench.timed_wsgi:application"
# A reader request slower than this counts as slow (the target's p99).
SLOW_MS = 50
UPDATE_LINE = re.compile(r"<p>Update at [\d:]+: the desk adds what it has learnt\.</p>$")
VARNISH_COUNTERS = (
    *("cache_hit", "cache_hit_grace", "cache_miss", "cache_hitpass", "cache_hitmiss"),
    *("fetch_failed", "backend_unhealthy", "backend_fail", "backend_busy"),
)


def zipf_weights(n):
    return [1 / rank**ZIPF_EXPONENT for rank in range(1, n + 1)]


# Preparing the database (run in a subprocess, with Django) ------------------------------------------------


def prepare(stories, comments):
    """The staff accounts, ``comments`` pending comments, and {"stories": [[id, path], ...] by rank, "fronts"}."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from articles.models import Article, Section
    from comments.models import Comment

    password = os.environ["NEWSROOM_PASSWORD"]
    for username, group in ((EDITOR, "Editor"), (MODERATOR, "Moderator")):
        user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group))
    top = list(Article.objects.published().filter(comments_open=True).latest_first()[:stories])
    pending = Comment.objects.filter(status=Comment.Status.PENDING)
    rng = random.Random(1)
    wanted = max(0, comments - pending.count())
    # Numbered on from the comments there are, so that no run repeats an earlier run's comment.
    for n, story in enumerate(rng.choices(top, zipf_weights(len(top)), k=wanted), start=Comment.objects.count()):
        Comment.objects.create(
            article=story,
            author_name=f"Newsroom reader {n}",
            email=f"newsroom{n}@example.org",
            body=f"A reader's remark number {n} on this story, waiting for the moderator.",
        )
    return {
        "stories": [[story.pk, story.get_absolute_url()] for story in top],
        "fronts": [section.get_absolute_url() for section in Section.objects.order_by("order", "name")],
        "pending": pending.count(),
    }


def prepared(env, stories, comments):
    """``prepare`` run with ``env`` (the benchmark database's), in a subprocess."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "newsroom.py"), "prepare", str(stories), str(comments)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# The workload (HTTP only) ----------------------------------------------------------------------------------


def write_mix(info, path):
    """The readers' mix for newsroom.lua: one "weight path" line per address."""
    stories = info["stories"]
    weights = zipf_weights(len(stories))
    total = sum(weights)
    lines = [f"{STORY_SHARE * w / total:.9f} {p}" for w, (_, p) in zip(weights, stories, strict=True)]
    lines.append(f"{HOME_SHARE:.9f} /")
    lines += [f"{SECTIONS_SHARE / len(info['fronts']):.9f} {p}" for p in info["fronts"]]
    path.write_text("\n".join(lines) + "\n")
    return path


class LoopbackIsSecure(http.cookiejar.DefaultCookiePolicy):
    """Browsers send Secure cookies (production's session and CSRF cookies) to 127.0.0.1 over plain HTTP,
    a secure context for them; so does this client, which talks to 127.0.0.1 only."""

    def return_ok_secure(self, cookie, request):
        return True


class Staff:
    """A browser session in the admin: cookies, the CSRF token its forms carry, redirects followed."""

    def __init__(self, base, username, password):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(LoopbackIsSecure()))
        )
        form = self.page("/admin/login/").get_element_by_id("login-form")
        self.post(form, {**dict(form.form_values()), "username": username, "password": password})
        if not self.get("/admin/").url.startswith(self.base + "/admin/"):
            raise SystemExit(f"{username} could not sign in to the admin at {base}")

    def get(self, path):
        return self.opener.open(self.base + path, timeout=60)

    def page(self, path):
        with self.get(path) as response:
            return lxml.html.fromstring(response.read(), base_url=response.url)

    def post(self, form, values, **headers):
        data = urllib.parse.urlencode(list(values.items()) if isinstance(values, dict) else values).encode()
        request = urllib.request.Request(form.action or form.base_url, data=data, headers=headers)
        return self.opener.open(request, timeout=60)


class Desk(threading.Thread):
    """A staff member doing one thing every ``every`` seconds until stopped; keeps each one's latency."""

    every = 1.0

    def __init__(self, staff, info, stop):
        super().__init__(daemon=True)
        self.staff, self.info, self.stop = staff, info, stop
        self.latencies, self.failures = [], collections.Counter()
        self.spans = []  # (began, ended) of each action, time.monotonic()

    def run(self):
        start = time.monotonic()
        n = 0
        while not self.stop.wait(max(0.0, start + n * self.every - time.monotonic())):
            n += 1
            began = time.monotonic()
            try:
                failure = self.work()
            except Exception as error:
                failure = repr(error)[:120]
            ended = time.monotonic()
            self.spans.append((began, ended))
            if failure:
                self.failures[failure] += 1
            else:
                self.latencies.append((ended - began) * 1000)

    def report(self):
        lat = sorted(self.latencies)
        return {
            "done": len(lat),
            "failed": dict(self.failures),
            "p50_ms": statistics.median(lat) if lat else None,
            "max_ms": lat[-1] if lat else None,
        }


class Editor(Desk):
    """Opens a story drawn by popularity, adds or rewrites the update line at the end of its body, and saves it
    ("Save and continue editing"): a developing story's routine save."""

    every = EDIT_SECONDS

    def __init__(self, staff, info, stop):
        super().__init__(staff, info, stop)
        self.rng = random.Random(2)
        self.weights = zipf_weights(len(info["stories"]))

    def work(self):
        story_id, _ = self.rng.choices(self.info["stories"], self.weights)[0]
        form = self.staff.page(f"/admin/articles/article/{story_id}/change/").get_element_by_id("article_form")
        update = f"<p>Update at {time.strftime('%H:%M:%S')}: the desk adds what it has learnt.</p>"
        values = [
            (name, UPDATE_LINE.sub("", value.rstrip()) + update if name == "body" else value)
            for name, value in form.form_values()
        ]
        with self.staff.post(form, [*values, ("_continue", "1")]) as response:
            html = response.read().decode()
        if 'class="success"' not in html:
            errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', html)
            return "not saved: " + (errors[0] if errors else "no success message")[:120]
        return None


class Moderator(Desk):
    """Approves the desk's next card, as desk.js posts it; loads the desk again when its cards are done."""

    every = APPROVE_SECONDS

    def __init__(self, staff, info, stop):
        super().__init__(staff, info, stop)
        self.cards = []

    def work(self):
        if not self.cards:
            page = self.staff.page("/admin/comments/comment/desk/")
            self.cards = page.xpath('//form[contains(@class, "desk-card__decide")]')
            if not self.cards:
                return "no pending comment left"
        form = self.cards.pop(0)
        values = {**dict(form.form_values()), "decision": "approved"}
        with self.staff.post(form, values, Accept="application/json") as response:
            answer = json.load(response)
        return None if answer.get("done") else "not approved: " + answer.get("message", "")[:120]


def cpu_seconds(pid):
    """User + system CPU of a process and its descendants (gunicorn's workers, varnishd's child)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += cpu_seconds(int(child))
    except FileNotFoundError:
        pass
    return total


def varnish_counters(name):
    output = subprocess.run(["varnishstat", "-n", name, "-1", "-j"], capture_output=True, text=True, check=True)
    counters = json.loads(output.stdout)
    counters = counters.get("counters", counters)
    return {c: counters[f"MAIN.{c}"]["value"] for c in VARNISH_COUNTERS}


def read_load(base, mix, threads, connections, seconds, groups):
    """wrk with newsroom.lua; {"rps", "p50", "p99", ..., "served": {(edge, app, status): n}, "classes": {...},
    "seconds": {s: [requests, slow]}, "scheduling": {group: {...}}} (``groups``: see Scheduling)."""
    command = [
        *("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"),
        *("-H", "Accept-Encoding: gzip", "-s", str(BENCH / "newsroom.lua"), base, "--", str(mix)),
    ]
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    with Scheduling({**groups, "wrk": wrk.pid}) as scheduling:
        output = wrk.communicate()[0]
    if wrk.returncode:
        raise SystemExit(f"wrk exited with {wrk.returncode}")
    result = {"served": collections.Counter(), "scheduling": scheduling.report}
    histograms = collections.defaultdict(collections.Counter)
    inside = collections.defaultdict(collections.Counter)
    per_second = collections.defaultdict(collections.Counter)
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["served"]:
            result["served"][tuple(parts[1:4])] += int(parts[4])
        elif parts[:1] == ["newsroom"]:
            result[parts[1]] = float(parts[2])
        elif parts[:1] == ["latency"]:
            histograms[(parts[1], parts[2])][float(parts[3])] += int(parts[4])
        elif parts[:1] == ["inside"]:
            inside[(parts[1], parts[2], parts[3])][parts[4]] += float(parts[5])
        elif parts[:1] == ["seconds"]:
            per_second[int(parts[1])][parts[2]] += int(parts[3])
    result["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    result["classes"] = classes(histograms, inside)
    result["histograms"] = {" ".join(group): dict(sorted(buckets.items())) for group, buckets in histograms.items()}
    result["as timed"] = as_timed(histograms, seconds * 1000 * connections / max(result["requests"], 1))
    result["seconds"] = {second: [tally["all"], tally["slow"]] for second, tally in sorted(per_second.items())}
    return result


def percentile(histogram, share):
    """The bucket (ms) under which ``share`` of a {bucket ms: n} histogram's requests fall."""
    wanted, seen = share * sum(histogram.values()), 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= wanted:
            return bucket
    return None


def corrected(histogram, interval):
    """``histogram`` as wrk reports it: wrk (stats_correct, "coordinated omission") adds, for every request
    that took n >= 2 * interval ms, one made-up request at each of n - interval, n - 2 * interval, ... down
    to interval, where interval is the run's time over the requests per connection (what each connection
    would have sent meanwhile, had it not waited). {"CLASS KIND": {bucket: n}} in, the same out."""
    out = collections.defaultdict(collections.Counter)
    for group, buckets in histogram.items():
        for ms, n in buckets.items():
            out[group][ms] += n
            m = ms - interval
            while ms >= 2 * interval and m > interval:
                out[group][bucket(m)] += n
                m -= interval
    return out


def bucket(ms):
    """newsroom.lua's buckets: 0.1 ms below 10 ms, 1 ms below 1 s, 10 ms above."""
    if ms < 10:
        return math.floor(ms * 10) / 10
    return math.floor(ms) if ms < 1000 else math.floor(ms / 10) * 10


def as_timed(histograms, interval):
    """p50/p99 of the requests as timed one by one, and of the same with wrk's correction worked out here (to
    check it against wrk's own p99); how many of the requests over SLOW_MS (real, and made up by the
    correction) each class gave."""
    result = {"interval_ms": interval}
    for name, groups in (("real", histograms), ("corrected", corrected(histograms, interval))):
        everything = collections.Counter()
        for buckets in groups.values():
            everything.update(buckets)
        slow = {
            " ".join(group): sum(n for ms, n in buckets.items() if ms > SLOW_MS) for group, buckets in groups.items()
        }
        result[name] = {
            "n": sum(everything.values()),
            "p50": percentile(everything, 0.5),
            "p99": percentile(everything, 0.99),
            "p99.9": percentile(everything, 0.999),
            "slow": {group: n for group, n in sorted(slow.items(), key=lambda item: -item[1]) if n},
        }
    return result


def classes(histograms, inside):
    """{"CLASS KIND": {n, p50, p99, slow, and for the fast and the slow ones the mean ms in all, inside
    Varnish (not waiting for the app), inside the app, and elsewhere (queued, waiting for a CPU, in wrk)}}."""
    table = {}
    for (cls, kind), histogram in sorted(histograms.items(), key=lambda item: -sum(item[1].values())):
        row = {"n": sum(histogram.values()), "p50": percentile(histogram, 0.5), "p99": percentile(histogram, 0.99)}
        for speed in ("fast", "slow"):
            sums = inside.get((cls, kind, speed), collections.Counter())
            n = int(sums["n"])
            row[speed] = {"n": n}
            if n:
                mean = {name: sums[name] / n for name in ("total", "varnish", "app")}
                row[speed].update(mean, other=mean["total"] - mean["varnish"] - mean["app"])
        table[f"{cls} {kind}"] = row
    return table


class Scheduling:
    """How long the threads of each group of processes waited for a CPU while runnable, and ran, from their
    /proc/PID/task/TID/schedstat, sampled every second (so that threads that end are counted too).

    ``groups`` is {name: pid}: each with its descendants; every other process on the machine is
    "others" (PostgreSQL's backends are "postgres")."""

    def __init__(self, groups):
        self.groups = groups
        self.first, self.last = {}, {}  # {tid: (group, ran ns, waited ns)}
        self.stop = threading.Event()

    def sample(self):
        parents, names = {}, {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                names[int(entry.name)] = stat[stat.index("(") + 1 : stat.rindex(")")]
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        group_of = {}
        for name, root in self.groups.items():
            wanted = {root}
            while grown := {pid for pid, parent in parents.items() if parent in wanted} - wanted:
                wanted |= grown
            group_of.update(dict.fromkeys(wanted, name))
        for pid in parents:
            group = group_of.get(pid) or ("postgres" if names[pid] == "postgres" else "others")
            try:
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except OSError:
                continue
            for task in tasks:
                try:
                    ran, waited, _ = (int(n) for n in (task / "schedstat").read_text().split())
                except (OSError, ValueError):
                    continue
                tid = (pid, int(task.name))
                self.first.setdefault(tid, (group, ran, waited))
                self.last[tid] = (group, ran, waited)

    def run(self):
        while not self.stop.wait(1.0):
            self.sample()

    def __enter__(self):
        self.sample()
        self.began = time.monotonic()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.sample()
        seconds = time.monotonic() - self.began
        totals = collections.defaultdict(lambda: [0, 0, 0])
        for tid, (group, ran, waited) in self.last.items():
            _, ran_before, waited_before = self.first[tid]
            totals[group][0] += ran - ran_before
            totals[group][1] += waited - waited_before
            totals[group][2] += 1
        self.report = {
            group: {"cpu_s": ran / 1e9, "waited_s": waited / 1e9, "threads": n, "seconds": seconds}
            for group, (ran, waited, n) in sorted(totals.items(), key=lambda item: -item[1][0])
        }


def warm(base, info):
    """Every reader address asked for once (four at a time), as a site that has been up a while has them."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [path for _, path in info["stories"]] + ["/"] + info["fronts"]

    def fetch(path):
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, paths))


def run(base, info, mix, password, args, cpu_pids, trivial, varnish_name=None):
    """The readers, the editor and the moderator against ``base`` for args.newsroom_seconds; the numbers.

    ``trivial`` (the trivial view at gunicorn) is loaded for 10 s just before, with the same connections:
    the latency this machine gives any request at the time, which the readers' is to be read against.
    """
    warm(base, info)
    ceiling = wrk_report.wrk(trivial, args.threads, args.connections, 10)
    stop = threading.Event()
    desks = [Editor(Staff(base, EDITOR, password), info, stop), Moderator(Staff(base, MODERATOR, password), info, stop)]
    before = varnish_counters(varnish_name) if varnish_name else None
    cpu_before = {name: cpu_seconds(pid) for name, pid in cpu_pids.items()}
    load_before = os.getloadavg()
    for desk in desks:
        desk.start()
    readers_began = time.monotonic()
    readers = read_load(base, mix, args.threads, args.connections, args.newsroom_seconds, cpu_pids)
    stop.set()
    for desk in desks:
        desk.join(timeout=120)
    result = {
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "readers": {**readers, "served": {" ".join(k): n for k, n in readers["served"].items()}},
        "trivial view": {name: ceiling[name] for name in ("rps", "p50", "p99")},
        "editor": desks[0].report(),
        "moderator": desks[1].report(),
        "desk_spans": {
            name: [(began - readers_began, ended - readers_began) for began, ended in desk.spans]
            for name, desk in zip(("editor", "moderator"), desks, strict=True)
        },
    }
    requests = readers["requests"]
    result["cpu_ms_per_request"] = {
        name: (cpu_seconds(pid) - cpu_before[name]) * 1000 / requests for name, pid in cpu_pids.items()
    }
    result["hit_rates"] = hit_rates(readers["served"])
    if varnish_name:
        after = varnish_counters(varnish_name)
        delta = {c: after[c] - before[c] for c in VARNISH_COUNTERS}
        lookups = delta["cache_hit"] + delta["cache_miss"] + delta["cache_hitpass"] + delta["cache_hitmiss"]
        result["varnishstat"] = delta
        result["hit_rates"]["varnish (varnishstat)"] = delta["cache_hit"] / lookups if lookups else None
    return result


def hit_rates(served):
    """From (X-Cache, X-Page-Cache, status) counts: each cache's hit rate, and how few requests were rendered."""
    total = sum(served.values())
    by_edge = collections.Counter()
    by_app = collections.Counter()
    for (edge, app, _), n in served.items():
        by_edge[edge] += n
        if edge != "HIT":  # a Varnish hit repeats the header of the response it stored
            by_app[app] += n
    asked = by_app["hit"] + by_app["stale"] + by_app["miss"]
    through = by_edge["HIT"] or by_edge["MISS"]
    of = ", of Varnish's misses" if through else ""
    rates = {
        f"app page cache hit + stale{of}": (by_app["hit"] + by_app["stale"]) / asked if asked else None,
        f"app stale share{of}": by_app["stale"] / asked if asked else None,
        "rendered by the app": by_app["miss"] / total if total else None,
    }
    if through:
        rates["varnish (X-Cache)"] = by_edge["HIT"] / total
    return rates


def print_report(size, results):
    for where, r in results.items():
        readers = r["readers"]
        print(
            f"\nNewsroom, {size:,} stories, {where}: load average {r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f}"
        )
        print(
            f"  readers {readers['requests']:,.0f} requests, {readers['rps']:,.0f} req/s, "
            f"p50 {readers['p50']:.2f} ms, p99 {readers['p99']:.2f} ms, max {readers['max']:.0f} ms, "
            f"errors {readers['errors']:.0f}"
        )
        t = r["trivial view"]
        print(f"  trivial view just before:  {t['rps']:,.0f} req/s, p50 {t['p50']:.2f} ms, p99 {t['p99']:.2f} ms")
        for name, rate in r["hit_rates"].items():
            print(f"  {name:<45} {'-' if rate is None else f'{rate:.2%}'}")
        if "varnishstat" in r:
            print("  varnishstat " + ", ".join(f"{c} {n:,}" for c, n in r["varnishstat"].items()))
        print(
            "  served (X-Cache, X-Page-Cache, status): "
            + ", ".join(f"{k}: {n:,}" for k, n in readers["served"].items())
        )
        print_breakdown(readers)
        cpu = ", ".join(f"{name} {ms:.2f}" for name, ms in r["cpu_ms_per_request"].items())
        print(f"  CPU ms per reader request: {cpu}")
        for desk in ("editor", "moderator"):
            d = r[desk]
            p50 = "-" if d["p50_ms"] is None else f"{d['p50_ms']:.0f}"
            top = "-" if d["max_ms"] is None else f"{d['max_ms']:.0f}"
            print(f"  {desk:<9} {d['done']} done (p50 {p50} ms, max {top} ms), failed {d['failed'] or 0}")


def print_breakdown(readers):
    """The readers' latency by how each request was served and by page kind; where the slow ones' time went;
    slow requests second by second; how long each group of processes waited for a CPU."""
    total = sum(row["n"] for row in readers["classes"].values())
    slow = sum(row["slow"]["n"] for row in readers["classes"].values())
    print(
        f"  by how it was served (timed in newsroom.lua: {total:,} requests, {slow:,} over {SLOW_MS} ms); "
        "ms of the slow ones: in all = in Varnish (a miss: with the wait for a free gunicorn worker) + in the app "
        "+ elsewhere (gunicorn alone: the wait for a worker; waiting for a CPU; in wrk)"
    )
    print(f"    {'class':<34}{'requests':>10}{'share':>8}{'p50':>8}{'p99':>8}{'> 50 ms':>9}{'of slow':>8}  slow ms:")
    for name, row in readers["classes"].items():
        s = row["slow"]
        where = f"{s['total']:7.0f} = {s['varnish']:5.0f} + {s['app']:5.0f} + {s['other']:5.0f}" if s["n"] else ""
        print(
            f"    {name:<34}{row['n']:>10,}{row['n'] / total:>8.2%}{row['p50']:>8.1f}{row['p99']:>8.0f}"
            f"{s['n']:>9,}{s['n'] / slow if slow else 0:>8.1%}  {where}"
        )
    timed = readers["as timed"]
    for name in ("real", "corrected"):
        t = timed[name]
        slow = ", ".join(f"{group} {n:,}" for group, n in list(t["slow"].items())[:6])
        print(
            f"  {name:<9} (interval {timed['interval_ms']:.2f} ms): {t['n']:,} requests, p50 {t['p50']:.1f} ms, "
            f"p99 {t['p99']:.1f} ms, p99.9 {t['p99.9']:.1f} ms; over {SLOW_MS} ms: {slow}"
        )
    seconds = readers["seconds"]
    print("  slow requests second by second: " + " ".join(str(seconds[second][1]) for second in sorted(seconds)))
    print("  waiting for a CPU while runnable (schedstat), over the readers' run:")
    for group, g in readers["scheduling"].items():
        ratio = g["waited_s"] / g["cpu_s"] if g["cpu_s"] else 0
        print(
            f"    {group:<10} ran {g['cpu_s']:7.1f} s, waited {g['waited_s']:7.1f} s ({ratio:.2f} s a CPU second), "
            f"{g['threads']} threads"
        )


if __name__ == "__main__":
    if sys.argv[1:2] != ["prepare"] or len(sys.argv) != 4:
        raise SystemExit("usage: newsroom.py prepare STORIES COMMENTS")
    print(json.dumps(prepare(int(sys.argv[2]), int(sys.argv[3]))))
