"""Reading back from the real platform. The read API's shapes live here, in one place, so that a change
of the training plugin's responses is a change of this file only."""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

URL = os.environ.get("ONESERVICE_TEST_URL")
TOKEN = os.environ.get("ONESERVICE_TEST_TOKEN")
TENANT = os.environ.get("ONESERVICE_TEST_TENANT")


def get(path, **query):
    q = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
    req = urllib.request.Request(URL.rstrip("/") + path + ("?" + q if q else ""),
                                 headers={"Authorization": "Bearer " + TOKEN, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        raise AssertionError("GET %s -> %s %s" % (path, e.code, e.read()[:500]))


def _records(answer):
    """The list of records in a list answer, whether bare or wrapped ({"runs"|"items"|"data": [...]})."""
    if isinstance(answer, list):
        return answer
    for key in ("runs", "items", "data", "results"):
        if isinstance(answer.get(key), list):
            return answer[key]
    raise AssertionError("no list in answer: %r" % (answer,))


def find_run(project, client_run_id):
    runs = _records(get("/api/v1/runs", project=project, limit=200))
    for r in runs:
        if r.get("client_run_id") == client_run_id:
            return r
    raise AssertionError("run %s not listed in project %s (got %d runs)" % (client_run_id, project, len(runs)))


def series(run_id, name, by="step"):
    """[(x, value)] of one metric of one run, ordered by x.

    Accepts the shapes the plugin may answer with: {"series":[{"name","points":[{"x","value"}]}]},
    a single series {"buckets":[{"x","last",...}]} (value = last point of the bucket: with fewer points than
    buckets they are the exact points), or {"points":[...]}."""
    answer = get("/api/v1/runs/%s/metrics" % urllib.parse.quote(run_id), name=name, by=by)
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
