vcl 4.1;
# Varnish in front of Newsdesk's app servers (Debian: apt-get install varnish varnish-modules).
#
# - Anonymous GETs and HEADs of public pages are cached for their s-maxage and
#   kept by tag: every public response names what it shows in an xkey header
#   (pagecache/edge.py), and the app purges those tags when a change commits
#   (EDGE_PURGE_URLS=http://<this varnish>/). Only the app servers in the
#   "app_servers" ACL may purge. A routine change purges soft (an
#   xkey-softpurge header: the pages are expired, and readers are served
#   them by grace while one background fetch gets the new ones); an urgent
#   one (a story withdrawn, a scheduled story going live, a site-wide change)
#   purges hard (xkey-purge: the pages are gone, the next reader waits for
#   the fresh one).
# - Readers with a session or the CSRF cookie (staff, a reader whose comment
#   awaits moderation), the admin, every POST (comments, reports) and the
#   comment token endpoint pass to the app, uncached.
# - Grace: past its s-maxage a page is served stale while Varnish fetches it
#   again, for as long as the app's stale-while-revalidate allows (the app
#   keeps that short of the next scheduled go-live); while the app is down
#   (the probe fails) it is served stale for up to a day.
#
# Replace the backends' address (app and app_probe) and the ACL with your app
# servers' (a pair per app server, the fetching ones behind a
# directors.round_robin() for several).

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# The same app server, probed: whether it answers decides only whether a page past its stale-while-revalidate
# is served stale (vcl_hit). Fetches go to "app", which has no probe: a probe that times out behind busy
# workers would make Varnish refuse every fetch (503 "Backend fetch failed" for the desk's saves, every
# miss and every background fetch) while the app is slow but up (bench/README.md, the newsroom workload).
# A stopped app refuses connections, and a fetch then fails by itself.
backend app_probe {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = {
        # Any public page would do; robots.txt is the cheapest.
        .request = "GET /robots.txt HTTP/1.1"
            "Host: localhost"
            "Connection: close";
        .interval = 2s;
        # A busy app server answers slowly, not never: a short timeout would find it down in a spike.
        .timeout = 5s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

acl app_servers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ app_servers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.X-Purged = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "No xkey-purge or xkey-softpurge header"));
        }
        return (synth(200, "Purged"));
    }
    # A request that asked for a fresh copy only (see vcl_hit).
    if (req.restarts > 0 && req.http.X-Fresh-Only) {
        set req.grace = 0s;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/" || req.url ~ "^/comments/token/") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|messages)=") {
        return (pass);
    }
    # Pages are the same for every anonymous reader: other cookies (analytics) neither
    # split the cache nor reach the app.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_hit {
    # Past its stale-while-revalidate allowance (kept in X-Serve-Stale), a page is served stale
    # only while the app is down; when the app is up, look again without grace and wait for it.
    if (obj.ttl <= 0s && std.healthy(app_probe) && !req.http.X-Fresh-Only
        && obj.ttl + std.duration(obj.http.X-Serve-Stale, 0s) <= 0s) {
        set req.http.X-Fresh-Only = "1";
        return (restart);
    }
}

sub vcl_backend_fetch {
    unset bereq.http.X-Fresh-Only;
}

sub vcl_backend_response {
    # A background fetch (of a page soft-purged or past its s-maxage) that brings an error, or a page not to be
    # kept (see not_kept), leaves the previous copy in place: readers keep getting it, and the next one fetches
    # again.
    if (bereq.is_bgfetch && (beresp.status >= 500 || beresp.ttl <= 0s)) {
        return (abandon);
    }
    # Kept gzipped, as the app sends its pages, whatever came: a response stored uncompressed would be
    # sent so (several times the bytes) to every reader until it is purged.
    if (!beresp.http.Content-Encoding && beresp.http.Content-Type ~ "^(text/|application/([a-z+]+\+)?(xml|json))") {
        set beresp.do_gzip = true;
    }
    # The tags under the names CDNs read are not kept with the page: each delivery would copy them only to
    # remove them (a CDN in front of this cache reads them itself; keep them then, and remove the unsets
    # in vcl_deliver).
    unset beresp.http.Surrogate-Key;
    unset beresp.http.Cache-Tag;
    # What the app allows to be served stale while the app is up (its stale-while-revalidate,
    # which Varnish read into beresp.grace), remembered before grace is stretched for outages.
    set beresp.http.X-Serve-Stale = beresp.grace + "s";
    set beresp.grace = 24h;
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-cache|no-store") {
        # Personal or not to be kept: never stored, and the next request asks the app again.
        call not_kept;
    }
    if (beresp.ttl <= 0s && beresp.http.X-Page-Cache == "stale") {
        # The app's previous copy, sent while one of its requests renders the page again (after a routine change
        # only: never after an urgent one). Kept for a second, so that the readers who waited for this fetch and
        # those who follow get it here at once; marked hit-for-miss, every one of them went to the app's busy
        # workers (bench/README.md, the newsroom workload: 71 such misses, held 0.3-1.2 s each). Then served
        # while it is fetched again in the background, as the app itself serves it while it rebuilds the page
        # (for at most REBUILD_SECONDS, 10 s): no reader waits for that fetch, nor for one that fails.
        set beresp.ttl = 1s;
        set beresp.grace = 10s;
        set beresp.http.X-Serve-Stale = beresp.grace + "s";
        set beresp.keep = 0s;
        return (deliver);
    }
    if (beresp.ttl <= 0s) {
        # Sent for immediate revalidation (a page whose time ran out while it rendered): deliver it, keep nothing.
        call not_kept;
    }
    return (deliver);
}

# A response not to be kept is remembered as such (hit-for-miss) for a few seconds: the readers of that address
# meanwhile go to the app at once, each on its own, and the first response that may be kept replaces it. With
# no such mark (a TTL of 0), the readers that waited for this fetch would be let go one at a time, each
# fetching in turn behind the one before: for a popular page, a queue of hundreds of milliseconds
# (bench/README.md, the newsroom workload: the p99 tail).
#
# Fetched in the background (private: rendered while the app's cache did not answer), it leaves the previous copy
# in place instead: marked hit-for-miss, the address would send every reader to the app until a page that may be
# kept came back.
sub not_kept {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    set beresp.uncacheable = true;
    set beresp.ttl = 5s;
    set beresp.grace = 0s;
    set beresp.keep = 0s;
    return (deliver);
}

sub vcl_backend_error {
    # A fetch that failed (the app slow past first_byte_timeout, or down): a background one leaves the previous
    # copy in place; any other answers 503 to its readers only, and is never kept or served by grace.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    set beresp.ttl = 0s;
    set beresp.grace = 0s;
    set beresp.keep = 0s;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # xkey is for this cache only (the module reads it from the stored page).
    unset resp.http.xkey;
    unset resp.http.X-Serve-Stale;
}

sub vcl_synth {
    if (req.method == "PURGE" && resp.status == 200) {
        set resp.http.X-Purged = req.http.X-Purged;
    }
}
