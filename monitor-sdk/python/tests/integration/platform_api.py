"""Reading back from the real platform. The read API's shapes live here, in one place, so that a change
of the training plugin's responses is a change of this file only."""
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request

URL = os.environ.get("ONESERVICE_TEST_URL")
TOKEN = os.environ.get("ONESERVICE_TEST_TOKEN")
TENANT = os.environ.get("ONESERVICE_TEST_TENANT")
# Set by scripts/sdk-integration.mjs: POST <control>/stop|kill|start drives the platform it started.
CONTROL_URL = os.environ.get("ONESERVICE_TEST_CONTROL_URL")
BETA_TOKEN = os.environ.get("ONESERVICE_TEST_BETA_TOKEN")
INGEST_ONLY_TOKEN = os.environ.get("ONESERVICE_TEST_INGEST_ONLY_TOKEN")
WRITE_READ_TOKEN = os.environ.get("ONESERVICE_TEST_WRITE_READ_TOKEN")

# The most buckets a series read may ask for; a range holding no more points comes back exactly.
MAX_POINTS = 10000


def request(method, path, token=None, body=None, headers=None, timeout=30):
    """(status, headers, bytes) of any call; never raises on an HTTP status.

    http.client rather than urllib: urllib asks for Connection: close, on which a server that answers
    early (413 before reading an upload) may close while the body is still being sent."""
    parts = urllib.parse.urlsplit(URL)
    h = {"Authorization": "Bearer " + (token or TOKEN)}
    h.update(headers or {})
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, (parts.path.rstrip("/") + path), body=body, headers=h)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def get(path, token=None, **query):
    q = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
    status, _, body = request("GET", path + ("?" + q if q else ""), token=token, headers={"Accept": "application/json"})
    if status != 200:
        raise AssertionError("GET %s -> %s %s" % (path, status, body[:500]))
    return json.loads(body.decode("utf-8"))


def control(action):
    """Stops (SIGTERM, data kept), kills (SIGKILL) or starts the platform; returns when it is done."""
    req = urllib.request.Request(CONTROL_URL.rstrip("/") + "/" + action, data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=300) as resp:
        assert resp.status == 200


def _records(answer):
    """The list of records in a list answer, whether bare or wrapped ({"runs"|"items"|"data": [...]})."""
    if isinstance(answer, list):
        return answer
    for key in ("runs", "items", "data", "results"):
        if isinstance(answer.get(key), list):
            return answer[key]
    raise AssertionError("no list in answer: %r" % (answer,))


def list_runs(project, token=None):
    return _records(get("/api/v1/runs", token=token, project=project, page_size=200))


def find_run(project, client_run_id, token=None):
    runs = list_runs(project, token=token)
    for r in runs:
        if r.get("client_run_id") == client_run_id:
            return r
    raise AssertionError("run %s not listed in project %s (got %d runs)" % (client_run_id, project, len(runs)))


def metric_count(run_id, name):
    """How many points of a metric the platform holds (the run's summary)."""
    run = get("/api/v1/runs/%s" % urllib.parse.quote(run_id))
    for m in run.get("metrics", []):
        if m["name"] == name:
            return int(m["count"])
    return 0


def series(run_id, name, by="step", lo=None, hi=None, points=None):
    """[(x, value)] of one metric of one run, ordered by x.

    Accepts the shapes the plugin may answer with: {"series":[{"name","points":[{"x","value"}]}]},
    a single series {"buckets":[{"x","last",...}]} (value = last point of the bucket: with fewer points than
    buckets they are the exact points), or {"points":[...]}."""
    answer = get("/api/v1/runs/%s/metrics" % urllib.parse.quote(run_id), name=name, by=by, to=hi, points=points,
                 **{"from": lo})
    if isinstance(answer, dict) and isinstance(answer.get("series"), list):
        matching = [s for s in answer["series"] if s.get("name") == name] or answer["series"]
        answer = matching[0]
    if isinstance(answer, dict) and isinstance(answer.get("buckets"), list):
        points = answer["buckets"]
    elif isinstance(answer, dict) and isinstance(answer.get("points"), list):
        points = answer["points"]
    else:
        raise AssertionError("unexpected series answer: %r" % (answer,))
    out = []
    for p in points:
        value = p.get("value", p.get("last", p.get("mean")))
        out.append((p.get("x", p.get("step")), value))
    return sorted(out, key=lambda xv: xv[0])


def exact_steps(run_id, name, last_step, window=MAX_POINTS // 2):
    """Every stored step of a metric, duplicates included, read in windows small enough to come back exactly."""
    steps = []
    for lo in range(0, last_step + 1, window):
        hi = min(last_step, lo + window - 1)
        answer = get("/api/v1/runs/%s/metrics" % urllib.parse.quote(run_id), name=name, by="step", to=hi,
                     points=MAX_POINTS, **{"from": lo})
        assert answer.get("exact") is True, "steps %d..%d did not come back exactly" % (lo, hi)
        steps.extend(b["x"] for b in answer["buckets"])
    return steps
